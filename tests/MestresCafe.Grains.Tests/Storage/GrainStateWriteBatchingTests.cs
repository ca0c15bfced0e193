using MestresCafe.Grains.Storage;
using MestresCafe.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace MestresCafe.Grains.Tests.Storage;

/// <summary>
/// Grain state writes go through <see cref="GrainStateWriteBatcher"/>: the rows they write are the
/// ones the ADO.NET provider itself reads and clears (for every kind of grain key), and writes that
/// arrive together share transactions.
/// </summary>
public sealed class GrainStateWriteBatchingTests : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;
    private IGrainStorage _storage = null!;
    private GrainStateWriteBatcher _batcher = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(nameof(GrainStateWriteBatchingTests), silos: 1);
        var services = _cluster.Cluster.Silos[0].ServiceProvider;
        _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Store);
        _batcher = services.GetRequiredKeyedService<GrainStateWriteBatcher>(StorageNames.Store);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public static TheoryData<string> GrainIds() =>
    [
        "string key",
        "guid", "guid with extension",
        "integer", "negative integer with extension",
    ];

    [Theory]
    [MemberData(nameof(GrainIds))]
    public async Task A_batched_write_is_the_row_the_provider_reads_and_clears(string kind)
    {
        var grainId = kind switch
        {
            "string key" => GrainId.Create("probe", "cart/ação-42"),
            "guid" => GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))),
            "guid with extension" => GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "SKU-9")),
            "integer" => GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(1234567890123)),
            _ => GrainId.Create(GrainType.Create("probe"), GrainIdKeyExtensions.CreateIntegerKey(-17, "ext")),
        };
        var written = new GrainState<ProbeState>(new ProbeState { Writer = 7 });
        await _storage.WriteStateAsync("probe", grainId, written);

        // Reads and clears are the provider's own queries: they find the row only if every identity
        // column and hash is the one the provider computes.
        var read = new GrainState<ProbeState>(new ProbeState());
        await _storage.ReadStateAsync("probe", grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal(7, read.State!.Writer);
        Assert.Equal(written.ETag, read.ETag);

        await _storage.ClearStateAsync("probe", grainId, read);
        var again = new GrainState<ProbeState>(new ProbeState { Writer = 8 }) { ETag = read.ETag, RecordExists = false };
        await _storage.WriteStateAsync("probe", grainId, again);
        var reread = new GrainState<ProbeState>(new ProbeState());
        await _storage.ReadStateAsync("probe", grainId, reread);
        Assert.Equal(8, reread.State!.Writer);
        Assert.Equal(1, await _cluster.Database.ScalarAsync<long>("select count(*) from orleansstorage where graintypestring = 'probe' and version = $1", int.Parse(again.ETag!)));
    }

    [Fact]
    public async Task Writes_that_arrive_together_share_transactions_and_a_conflict_fails_alone()
    {
        var (batchesBefore, writesBefore) = _batcher.Counts;
        var contested = GrainId.Create("probe", "contested");
        var states = Enumerable.Range(0, 200).Select(i => new GrainState<ProbeState>(new ProbeState { Writer = i })).ToArray();

        // Queued in one synchronous burst: two first writes of one grain among 198 other grains.
        var writes = states.Select((state, i) => i < 2
            ? _storage.WriteStateAsync("probe", contested, state)
            : _storage.WriteStateAsync("probe", GrainId.Create("probe", $"burst-{i}"), state)).ToArray();
        var outcomes = await Task.WhenAll(writes.Select(async write =>
        {
            try
            {
                await write;
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes.Take(2), succeeded => succeeded);
        Assert.All(outcomes.Skip(2), Assert.True);
        var (batchesAfter, writesAfter) = _batcher.Counts;
        Assert.Equal(200, writesAfter - writesBefore);
        Assert.True(batchesAfter - batchesBefore <= 50, $"200 writes took {batchesAfter - batchesBefore} transactions");
        Assert.Equal(199, await _cluster.Database.ScalarAsync<long>(
            "select count(*) from orleansstorage where graintypestring = 'probe' and (grainidextensionstring like 'burst-%' or grainidextensionstring = 'contested')"));
    }
}
