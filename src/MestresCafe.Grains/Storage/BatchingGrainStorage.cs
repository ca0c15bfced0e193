using System.Globalization;
using System.Text;
using MestresCafe.Data.GrainState;
using Orleans.Configuration;
using Orleans.Storage;

namespace MestresCafe.Grains.Storage;

/// <summary>
/// The ADO.NET grain storage with its writes sent through <see cref="GrainStateWriteBatcher"/>:
/// reads and clears stay the provider's; a write builds the provider's own parameters (the same
/// hasher, serializer and SQL) so the row is exactly the one the provider would have written.
/// </summary>
internal sealed class BatchingGrainStorage(
    IGrainStorage provider, GrainStateWriteBatcher batcher, AdoNetGrainStorageOptions options, string serviceId, string storageName)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    // Set by the provider's options post-configuration: the picker its own reads hash with.
    private readonly IStorageHasherPicker _hashPicker = options.HashPicker
        ?? throw new InvalidOperationException($"The grain storage '{storageName}' has no hash picker configured.");

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ClearStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // The provider rewrites generic type names before storing them; no state name here is one,
        // and one that ever is keeps the provider's own path rather than a second spelling.
        return stateName.Contains('`') ? provider.WriteStateAsync(stateName, grainId, grainState) : WriteBatchedAsync(stateName, grainId, grainState);
    }

    public void Participate(ISiloLifecycle lifecycle) => (provider as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private async Task WriteBatchedAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = AdoNetGrainKey.From(grainId);
        // Picked twice, as the provider does: a picker may hand out a hasher that keeps state.
        IHasher Hasher() => _hashPicker.PickHasher(serviceId, storageName, stateName, grainId, grainState)
            ?? throw new InvalidOperationException($"The grain storage '{storageName}' picked no hasher for {stateName}.");
        var write = new GrainStateWrite(
            serviceId,
            Hasher().Hash(Encoding.UTF8.GetBytes(stateName)),
            stateName,
            Hasher().Hash(key.HashBytes),
            key.N0,
            key.N1,
            key.Extension,
            string.IsNullOrWhiteSpace(grainState.ETag) ? null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture),
            options.GrainStorageSerializer.Serialize(grainState.State).ToArray());

        var version = await batcher.WriteAsync(write)
            ?? throw new InconsistentStateException(
                $"Version conflict (WriteState): ServiceId={serviceId} ProviderName={storageName} GrainType={stateName} GrainId={grainId} ETag={grainState.ETag}.");
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }
}
