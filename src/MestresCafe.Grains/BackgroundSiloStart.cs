using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains;

/// <summary>
/// Starts something the cluster must always run (the order sweeper, the owners of the scheduled
/// tasks) when a silo starts, so that a cluster has it from its first silo on. In the background
/// and retried with doubling backoff up to a minute: a database that is not reachable yet must not
/// stop the silo from starting, and the start must still happen once it is.
/// </summary>
internal abstract class BackgroundSiloStart(ILogger logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;

    /// <summary>What is started, for the log.</summary>
    protected abstract string What { get; }

    /// <summary>One attempt; an exception is logged and retried.</summary>
    protected abstract Task StartAsync(CancellationToken stopping);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(() => StartWithRetriesAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _starting;
        }
        catch (OperationCanceledException)
        {
            // Stopped before it could be started: another silo starts it.
        }
    }

    private async Task StartWithRetriesAsync(CancellationToken stopping)
    {
        for (var backoff = TimeSpan.FromSeconds(1); ; backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks)))
        {
            try
            {
                await StartAsync(stopping);
                return;
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(error, "{What} could not be started; retrying in {Backoff}", What, backoff);
            }

            await Task.Delay(backoff, stopping);
        }
    }
}
