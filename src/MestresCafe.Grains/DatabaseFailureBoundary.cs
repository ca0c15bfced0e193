using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MestresCafe.Grains.Storage;
using Orleans.Storage;

namespace MestresCafe.Grains;

/// <summary>
/// Where a database failure leaves a grain, it leaves as a <see cref="GrainStateUnavailableException"/>:
/// the driver's exceptions are not serializable, so a caller (another silo, or the API in this
/// process) would see a serialization failure and answer 500 instead of "PostgreSQL is unreachable,
/// retry" (503). Two places cover every path: the grain storage (state reads at activation and
/// writes) and every grain call (queries a grain makes itself, e.g. catalog prices).
/// </summary>
public static class DatabaseFailureBoundary
{
    /// <summary>Wraps the named grain storage registered before this call.</summary>
    public static ISiloBuilder TranslateStorageFailures(this ISiloBuilder silo, string storageName)
    {
        silo.AddIncomingGrainCallFilter<CallFilter>();
        return silo.DecorateGrainStorage(storageName, (services, inner) =>
            new TranslatingStorage(inner, services.GetRequiredService<ILogger<TranslatingStorage>>()));
    }

    private static bool ShouldTranslate(Exception error) =>
        error is not GrainStateUnavailableException && GrainStateUnavailableException.IsDatabaseFailure(error);

    internal sealed class CallFilter(ILogger<CallFilter> logger) : IIncomingGrainCallFilter
    {
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            try
            {
                await context.Invoke();
            }
            catch (Exception error) when (ShouldTranslate(error))
            {
                logger.LogWarning(error, "{Grain}.{Method} failed on the database", context.TargetId, context.MethodName);
                throw new GrainStateUnavailableException(error);
            }
        }
    }

    internal sealed class TranslatingStorage(IGrainStorage inner, ILogger<TranslatingStorage> logger) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            TranslateAsync(() => inner.ReadStateAsync(stateName, grainId, grainState), "read", grainId);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            TranslateAsync(() => inner.WriteStateAsync(stateName, grainId, grainState), "write", grainId);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            TranslateAsync(() => inner.ClearStateAsync(stateName, grainId, grainState), "clear", grainId);

        // The ADO.NET storage initializes itself (loads its queries) in the silo lifecycle.
        public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

        private async Task TranslateAsync(Func<Task> operation, string what, GrainId grainId)
        {
            try
            {
                await operation();
            }
            catch (Exception error) when (ShouldTranslate(error))
            {
                logger.LogWarning(error, "Grain state {What} of {Grain} failed on the database", what, grainId);
                throw new GrainStateUnavailableException(error);
            }
        }
    }
}
