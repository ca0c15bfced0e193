using MestresCafe.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace MestresCafe.Grains.Tests.Storage;

/// <summary>
/// The storage table has a unique key on the grain identity, and the write query only inserts when
/// no row exists: two first writes of one grain racing each other cannot both succeed.
/// </summary>
public sealed class GrainStorageConcurrencyTests : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync(nameof(GrainStorageConcurrencyTests), silos: 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Two_concurrent_first_writes_of_one_grain_exactly_one_succeeds()
    {
        var storage = _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Store);

        for (var round = 0; round < 20; round++)
        {
            var grainId = GrainId.Create("probe", $"first-write-{round}");
            var writes = Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
            {
                var state = new GrainState<ProbeState>(new ProbeState { Writer = writer });
                try
                {
                    await storage.WriteStateAsync("probe", grainId, state);
                    return (Writer: writer, Succeeded: true);
                }
                catch (InconsistentStateException)
                {
                    return (Writer: writer, Succeeded: false);
                }
            })).ToArray();
            var outcomes = await Task.WhenAll(writes);

            Assert.Single(outcomes, o => o.Succeeded);
            var stored = new GrainState<ProbeState>(new ProbeState());
            await storage.ReadStateAsync("probe", grainId, stored);
            Assert.Equal(outcomes.Single(o => o.Succeeded).Writer, stored.State!.Writer);
        }

        Assert.Equal(20, await _cluster.Database.ScalarAsync<int>("select count(*) from orleansstorage"));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused()
    {
        var storage = _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Store);
        var grainId = GrainId.Create("probe", "stale");
        var first = new GrainState<ProbeState>(new ProbeState { Writer = 1 });
        await storage.WriteStateAsync("probe", grainId, first);
        var stale = new GrainState<ProbeState>(new ProbeState { Writer = 2 }) { ETag = first.ETag, RecordExists = true };
        await storage.WriteStateAsync("probe", grainId, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, stale));
    }
}

[GenerateSerializer, Alias("test.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public int Writer { get; set; }
}
