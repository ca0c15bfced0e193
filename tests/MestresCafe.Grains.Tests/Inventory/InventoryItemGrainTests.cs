using System.Collections.Concurrent;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Inventory;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Inventory;

public sealed class InventoryItemGrainTests : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync(nameof(InventoryItemGrainTests), silos: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_thousand_concurrent_reservations_against_a_hundred_units_reserve_exactly_a_hundred()
    {
        await _cluster.Database.InsertItemAsync("HOT-SKU-1", stock: 100);
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("HOT-SKU-1"));
        var accepted = new ConcurrentBag<Guid>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (_, _) =>
        {
            var id = Guid.NewGuid();
            var result = await item.ReserveAsync(id, 1, DateTimeOffset.UtcNow.AddMinutes(10));
            if (result.Succeeded)
            {
                accepted.Add(id);
            }
        });

        var snapshot = (await item.GetAsync())!;
        Assert.Equal(100, accepted.Count);
        Assert.Equal((0, 100, 100), (snapshot.Available, snapshot.Reserved, snapshot.ActiveReservations));
        Assert.True(await Eventually.TrueAsync(ProjectionCaughtUpAsync, TimeSpan.FromSeconds(10)), "the projection did not catch up");
        Assert.Equal(100, await _cluster.Database.ScalarAsync<int>(
            "select count(*) from inventory_movements m join inventory i on i.id = m.inventory_id join products p on p.id = i.product_id where p.sku = 'HOT-SKU-1' and m.type = 'reservation'"));

        async Task<bool> ProjectionCaughtUpAsync() =>
            await _cluster.Database.ScalarAsync<string>(
                "select i.quantity_available || '/' || i.quantity_reserved from inventory i join products p on p.id = i.product_id where p.sku = 'HOT-SKU-1'") == "0/100";
    }

    [Fact]
    public async Task An_idle_grain_is_woken_to_release_an_expired_reservation()
    {
        await _cluster.Database.InsertItemAsync("EXPIRY-IDLE-1", stock: 4);
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("EXPIRY-IDLE-1"));
        await item.ReserveAsync(Guid.NewGuid(), 4, DateTimeOffset.UtcNow.AddSeconds(2));
        await _cluster.Cluster.DeactivateAsync(item);

        // Read the projected row, not the grain: reading the grain would activate it and prove nothing.
        var released = await Eventually.TrueAsync(
            async () => await _cluster.Database.ScalarAsync<string>(
                "select i.quantity_available || '/' || i.quantity_reserved from inventory i join products p on p.id = i.product_id where p.sku = 'EXPIRY-IDLE-1'") == "4/0",
            TimeSpan.FromSeconds(15));

        Assert.True(released, "the idle grain's reservation was not released after expiry");
    }

    [Fact]
    public async Task An_unknown_item_refuses_reservations()
    {
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("NO-SUCH-SKU"));

        var result = await item.ReserveAsync(Guid.NewGuid(), 1, DateTimeOffset.UtcNow.AddMinutes(1));

        Assert.Equal(ReservationOutcome.UnknownItem, result.Outcome);
        Assert.Null(await item.GetAsync());
    }

    [Fact]
    public async Task Adjustments_are_recorded_and_cannot_remove_more_than_available()
    {
        await _cluster.Database.InsertItemAsync("ADJUST-1", stock: 10, reorderPoint: 4);
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("ADJUST-1"));

        var tooMuch = await item.AdjustAsync(new StockAdjustment(-11, "lost", null, null));
        var counted = await item.AdjustAsync(new StockAdjustment(-7, "inventory_count", "contagem de novembro", null));

        Assert.Equal(AdjustmentOutcome.InsufficientStock, tooMuch.Outcome);
        Assert.Equal(AdjustmentOutcome.Adjusted, counted.Outcome);
        Assert.Equal(3, counted.Snapshot!.Available);
        Assert.True(await Eventually.TrueAsync(
            async () => await _cluster.Database.ScalarAsync<int>(
                "select count(*) from stock_adjustments a join inventory i on i.id = a.inventory_id join products p on p.id = i.product_id where p.sku = 'ADJUST-1' and a.quantity_change = -7") == 1,
            TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task State_survives_deactivation()
    {
        await _cluster.Database.InsertItemAsync("PERSIST-1", stock: 7);
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("PERSIST-1"));
        await item.ReserveAsync(Guid.NewGuid(), 2, DateTimeOffset.UtcNow.AddMinutes(10));

        await _cluster.Cluster.DeactivateAsync(item);
        var snapshot = (await item.GetAsync())!;

        Assert.Equal((5, 2), (snapshot.Available, snapshot.Reserved));
    }

    [Fact]
    public async Task An_expired_reservation_is_released_by_the_grain_itself()
    {
        await _cluster.Database.InsertItemAsync("EXPIRY-1", stock: 3);
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("EXPIRY-1"));
        await item.ReserveAsync(Guid.NewGuid(), 3, DateTimeOffset.UtcNow.AddSeconds(1));

        var released = await Eventually.TrueAsync(async () => (await item.GetAsync())!.Available == 3, TimeSpan.FromSeconds(5));

        Assert.True(released, "the reservation was not released within 5 s of expiry");
        Assert.Equal(0, (await item.GetAsync())!.Reserved);
    }
}
