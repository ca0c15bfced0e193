using System.Collections.Concurrent;
using MestresCafe.Grains.Inventory;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Inventory;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace MestresCafe.Grains.Tests.Inventory;

/// <summary>
/// The log-structured inventory state: a snapshot every three records here (so that a few dozen
/// batches cross many snapshots and ring laps), records fenced by their ETags.
/// </summary>
public sealed class InventoryLogTests : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync(nameof(InventoryLogTests), silos: 2,
        settings: new Dictionary<string, string?> { ["Inventory:SnapshotEvery"] = "3" });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IGrainStorage Storage => _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Store);

    [Fact]
    public async Task Two_activations_writing_the_same_record_number_exactly_one_succeeds()
    {
        var grainId = GrainId.Create("inventoryitem", "FENCE-1@main");
        var first = new InventoryLog(Storage, grainId);
        var duplicate = new InventoryLog(Storage, grainId);
        await first.ReadAfterAsync(0);
        await duplicate.ReadAfterAsync(0);
        await first.AppendAsync(Record(1, "first"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => duplicate.AppendAsync(Record(1, "duplicate")));
        var late = new InventoryLog(Storage, grainId);
        Assert.Equal(["first"], (await late.ReadAfterAsync(0)).Select(r => r.Movements.Single().Reason));
        // The loser cannot go on at a later number either once the winner has been there.
        await first.AppendAsync(Record(2, "first"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => duplicate.AppendAsync(Record(2, "duplicate")));
    }

    [Fact]
    public async Task Records_after_the_snapshot_are_read_back_in_order_across_ring_laps_until_the_first_gap()
    {
        var grainId = GrainId.Create("inventoryitem", "RING-1@main");
        var writer = new InventoryLog(Storage, grainId);
        await writer.ReadAfterAsync(0);
        for (var sequence = 1; sequence <= InventoryLog.RingSize + 4; sequence++)
        {
            await writer.AppendAsync(Record(sequence, $"r{sequence}"));
        }

        var reader = new InventoryLog(Storage, grainId);
        Assert.Equal(Enumerable.Range(5, InventoryLog.RingSize).Select(i => (long)i), (await reader.ReadAfterAsync(4)).Select(r => r.Sequence));
        Assert.Equal([InventoryLog.RingSize + 4L], (await reader.ReadAfterAsync(InventoryLog.RingSize + 3)).Select(r => r.Sequence));
        // Record 1 was overwritten by record RingSize + 1: nothing follows a snapshot that old.
        Assert.Empty(await reader.ReadAfterAsync(0));
    }

    [Fact]
    public async Task A_record_that_does_not_name_the_record_before_it_ends_the_log()
    {
        var grainId = GrainId.Create("inventoryitem", "CHAIN-LOG-1@main");
        var writer = new InventoryLog(Storage, grainId);
        await writer.ReadAfterAsync(0);
        var snapshotId = Guid.NewGuid();
        var first = Record(1, "first", previous: snapshotId);
        await writer.AppendAsync(first);
        await writer.AppendAsync(Record(2, "second", previous: first.Id));
        // Left by a write whose predecessor (another record 3) never became durable.
        await writer.AppendAsync(Record(4, "orphan", previous: Guid.NewGuid()));
        await writer.AppendAsync(Record(3, "third", previous: Guid.NewGuid()));

        var reader = new InventoryLog(Storage, grainId);
        Assert.Equal(["first", "second"], (await reader.ReadAfterAsync(0, snapshotId)).Select(r => r.Movements.Single().Reason));
        Assert.Empty(await reader.ReadAfterAsync(0, Guid.NewGuid()));
    }

    [Fact]
    public async Task An_item_replays_a_record_chained_to_its_last_one_and_ignores_one_whose_predecessor_is_another()
    {
        foreach (var (sku, chained) in new[] { ("CHAIN-OK-1", true), ("CHAIN-ORPHAN-1", false) })
        {
            await _cluster.Database.InsertItemAsync(sku, stock: 10);
            var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku));
            var held = Guid.NewGuid();
            Assert.True((await item.ReserveAsync(held, 2, DateTimeOffset.UtcNow.AddHours(1))).Succeeded);
            await _cluster.Cluster.DeactivateAsync(item);

            // The next record, written behind the grain's back: chained to the last record, or to a
            // record that another write of the same number would have stored (and that failed).
            var log = new InventoryLog(Storage, GrainId.Create("inventoryitem", InventoryKey.For(sku)));
            var last = (await log.ReadAfterAsync(0)).Last();
            var next = new InventoryLogRecord
            {
                Sequence = last.Sequence + 1,
                Id = Guid.NewGuid(),
                PreviousId = chained ? last.Id : Guid.NewGuid(),
                Movements = [new InventoryMovement(Guid.NewGuid(), InventoryMovementType.Restock, 5, null, "test", DateTimeOffset.UtcNow, last.Movements[^1].Version + 1)],
            };
            await log.AppendAsync(next);

            var snapshot = (await item.GetAsync())!;
            Assert.Equal((chained ? 13 : 8, 2), (snapshot.Available, snapshot.Reserved));
            Assert.Equal(ReservationState.Active, await item.GetReservationAsync(held));
        }
    }

    [Fact]
    public async Task State_rebuilt_from_snapshot_and_log_after_deactivation_equals_the_state_before()
    {
        await _cluster.Database.InsertItemAsync("REPLAY-1", stock: 500);
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("REPLAY-1"));
        var ids = new ConcurrentBag<Guid>();
        var expiring = Guid.NewGuid();
        await item.ReserveAsync(expiring, 5, DateTimeOffset.UtcNow.AddSeconds(1));
        for (var round = 0; round < 20; round++)
        {
            // Concurrent callers share batches; sequential rounds make many records and snapshots.
            var batch = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
            await Task.WhenAll(batch.Select(id => item.ReserveAsync(id, 1, DateTimeOffset.UtcNow.AddMinutes(30))));
            batch.ForEach(ids.Add);
            if (round % 2 == 0)
            {
                await item.CommitAsync(batch[0]);
            }
            else
            {
                await item.ReleaseAsync(batch[0]);
            }
        }

        await item.RestockAsync(3, "return", operationId: Guid.NewGuid());
        Assert.True(await Eventually.TrueAsync(async () => await item.GetReservationAsync(expiring) == ReservationState.None, TimeSpan.FromSeconds(5)));
        var before = await ObserveAsync();

        await _cluster.Cluster.DeactivateAsync(item);

        Assert.Equal(before, await ObserveAsync());
        Assert.Equal(InventoryLog.RingSize, await _cluster.Database.ScalarAsync<int>(
            "select count(*) from orleansstorage where graintypestring like 'inventory-log-%' and grainidextensionstring like '%REPLAY-1%'"));

        async Task<string> ObserveAsync()
        {
            var snapshot = (await item.GetAsync())!;
            var states = new List<ReservationState>();
            foreach (var id in ids.Append(expiring).Order())
            {
                states.Add(await item.GetReservationAsync(id));
            }

            return $"{snapshot} " + string.Join(",", states);
        }
    }

    [Fact]
    public async Task A_silo_killed_between_log_writes_loses_no_acknowledged_reservation_of_a_hot_item()
    {
        const int Stock = 300;
        await _cluster.Database.InsertItemAsync("HOT-KILL-1", stock: Stock);
        var acknowledged = new ConcurrentBag<Guid>();
        var started = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, _) =>
        {
            if (Interlocked.Increment(ref started) == 150 && _cluster.Cluster.Silos.Count > 1)
            {
                await _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos[^1]);
            }

            var id = Guid.NewGuid();
            try
            {
                if ((await _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("HOT-KILL-1")).ReserveAsync(id, 1, DateTimeOffset.UtcNow.AddHours(1))).Succeeded)
                {
                    acknowledged.Add(id);
                }
            }
            catch (Exception)
            {
                // Calls in flight on the dead silo fail; only acknowledged ones must survive.
            }
        });

        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("HOT-KILL-1"));
        var snapshot = (await item.GetAsync())!;
        Assert.Equal(Stock, snapshot.Available + snapshot.Reserved);
        Assert.InRange(snapshot.Reserved, acknowledged.Count, Stock);
        foreach (var id in acknowledged)
        {
            Assert.Equal(ReservationState.Active, await item.GetReservationAsync(id));
        }
    }

    [Fact]
    public async Task A_change_whose_write_failed_is_never_projected_though_the_write_before_it_committed()
    {
        const string Sku = "FENCED-PROJECTION-1";
        await _cluster.Database.InsertItemAsync(Sku, stock: 10);
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For(Sku));
        Assert.True((await item.ReserveAsync(Guid.NewGuid(), 1, DateTimeOffset.UtcNow.AddHours(1))).Succeeded);

        // A duplicate activation stores the record after next first (chained to nothing the item
        // wrote, so it is never replayed): the item's own write of that record is refused.
        var log = new InventoryLog(Storage, GrainId.Create("inventoryitem", InventoryKey.For(Sku)));
        var last = (await log.ReadAfterAsync(0)).Last();
        await log.AppendAsync(Record(last.Sequence + 2, "duplicate", previous: Guid.NewGuid()));

        // Two reservations in two writes in flight at once (in whichever order they arrive): the
        // first write commits, the second is fenced. The first's acknowledgement schedules the
        // projection while the second's change is still in memory.
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var outcomes = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return (await item.ReserveAsync(id, 1, DateTimeOffset.UtcNow.AddHours(1))).Succeeded;
            }
            catch (GrainStateUnavailableException)
            {
                return false;
            }
        }));
        Assert.Single(outcomes, succeeded => succeeded);
        var stored = ids[Array.IndexOf(outcomes, true)];
        var fenced = ids[Array.IndexOf(outcomes, false)];

        Assert.True(await Eventually.TrueAsync(async () => await MovementsAsync(stored) == 1, TimeSpan.FromSeconds(15)), "the committed reservation was not projected");
        // The next activation starts from what was stored, and projects it again (a no-op).
        var snapshot = (await item.GetAsync())!;
        Assert.Equal((8, 2), (snapshot.Available, snapshot.Reserved));
        Assert.Equal(ReservationState.None, await item.GetReservationAsync(fenced));
        Assert.True(await Eventually.TrueAsync(async () => await _cluster.Database.ScalarAsync<string>(
            "select i.quantity_available || '/' || i.quantity_reserved from inventory i join products p on p.id = i.product_id where p.sku = $1", Sku) == "8/2",
            TimeSpan.FromSeconds(15)), "the projected counters are not the stored ones");
        Assert.Equal(0, await MovementsAsync(fenced));

        Task<int> MovementsAsync(Guid reservation) => _cluster.Database.ScalarAsync<int>(
            "select count(*)::int from inventory_movements where notes = $1", $"reservation {reservation}");
    }

    private static InventoryLogRecord Record(long sequence, string reason, Guid previous = default) => new()
    {
        Sequence = sequence,
        Id = Guid.NewGuid(),
        PreviousId = previous,
        Movements = [new InventoryMovement(Guid.NewGuid(), InventoryMovementType.Restock, 1, null, reason, DateTimeOffset.UtcNow, sequence)],
    };
}
