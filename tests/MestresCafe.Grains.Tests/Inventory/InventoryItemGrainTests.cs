using System.Collections.Concurrent;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Inventory;

namespace MestresCafe.Grains.Tests.Inventory;

public sealed class InventoryItemGrainTests : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync(nameof(InventoryItemGrainTests), silos: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_thousand_concurrent_reservations_against_a_hundred_units_reserve_exactly_a_hundred()
    {
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("HOT-SKU-1"));
        await item.RestockAsync(100, "initial");
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

        var snapshot = await item.GetAsync();
        Assert.Equal(100, accepted.Count);
        Assert.Equal((0, 100, 100), (snapshot.Available, snapshot.Reserved, snapshot.ActiveReservations));
    }

    [Fact]
    public async Task State_survives_deactivation()
    {
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("PERSIST-1"));
        await item.RestockAsync(7, "initial");
        await item.ReserveAsync(Guid.NewGuid(), 2, DateTimeOffset.UtcNow.AddMinutes(10));

        await _cluster.Cluster.DeactivateAsync(item);
        var snapshot = await item.GetAsync();

        Assert.Equal((5, 2), (snapshot.Available, snapshot.Reserved));
    }

    [Fact]
    public async Task An_expired_reservation_is_released_by_the_grain_itself()
    {
        var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("EXPIRY-1"));
        await item.RestockAsync(3, "initial");
        await item.ReserveAsync(Guid.NewGuid(), 3, DateTimeOffset.UtcNow.AddSeconds(1));

        var released = await Eventually.TrueAsync(async () => (await item.GetAsync()).Available == 3, TimeSpan.FromSeconds(5));

        Assert.True(released, "the reservation was not released within 5 s of expiry");
        Assert.Equal(0, (await item.GetAsync()).Reserved);
    }
}
