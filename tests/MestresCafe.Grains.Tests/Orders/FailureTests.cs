using System.Collections.Concurrent;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Inventory;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>Crashes and timeouts: invariants are checked over the whole history, not one lucky run.</summary>
public sealed class FailureTests : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync(nameof(FailureTests), silos: 2,
        settings: new Dictionary<string, string?>
        {
            ["Payments:CardWindow"] = "00:00:02",
            ["Payments:ReservationMargin"] = "00:05:00",
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_killed_during_a_reservation_burst_loses_nothing_acknowledged_and_oversells_nothing()
    {
        const int Items = 8;
        const int Stock = 40;
        var skus = Enumerable.Range(0, Items).Select(i => $"BURST-{i}").ToList();
        foreach (var sku in skus)
        {
            await _cluster.Database.InsertItemAsync(sku, Stock);
        }

        var acknowledged = new ConcurrentBag<(string Sku, Guid Id)>();
        var failures = 0;
        var started = 0;
        var killed = false;
        await Parallel.ForEachAsync(Enumerable.Range(0, 1200), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            if (Interlocked.Increment(ref started) == 400)
            {
                // Mid-burst: the second silo dies without a goodbye.
                killed = true;
                await _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos[1]);
            }

            var sku = skus[i % Items];
            var id = Guid.NewGuid();
            try
            {
                var result = await _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku)).ReserveAsync(id, 1, DateTimeOffset.UtcNow.AddHours(1));
                if (result.Succeeded)
                {
                    acknowledged.Add((sku, id));
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.True(killed);
        foreach (var sku in skus)
        {
            var item = _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku));
            var snapshot = (await item.GetAsync())!;
            var mine = acknowledged.Where(a => a.Sku == sku).ToList();
            Assert.True(snapshot.Available + snapshot.Reserved == Stock, $"{sku}: {snapshot.Available} available + {snapshot.Reserved} reserved is not {Stock}");
            Assert.True(snapshot.Reserved >= mine.Count, $"{sku}: {snapshot.Reserved} reserved, fewer than the {mine.Count} acknowledged");
            foreach (var (_, id) in mine)
            {
                var held = await item.GetReservationAsync(id);
                Assert.True(held == ReservationState.Active, $"{sku}: acknowledged reservation {id} is {held}");
            }

            Assert.True(await Eventually.TrueAsync(async () =>
                await _cluster.Database.ScalarAsync<string>(
                    "select i.quantity_available || '/' || i.quantity_reserved from inventory i join products p on p.id = i.product_id where p.sku = $1", sku)
                == $"{snapshot.Available}/{snapshot.Reserved}", TimeSpan.FromSeconds(15)), $"projection of {sku} did not catch up");
            var movements = await _cluster.Database.ScalarAsync<int>(
                "select count(*) from inventory_movements m join inventory i on i.id = m.inventory_id join products p on p.id = i.product_id where p.sku = $1 and m.type = 'reservation'", sku);
            Assert.True(movements == snapshot.Reserved, $"{sku}: {movements} reservation movements projected for {snapshot.Reserved} reserved units");
        }
    }

    [Fact]
    public async Task An_unpaid_order_expires_by_itself_and_releases_its_stock_even_when_idle()
    {
        await _cluster.Database.InsertItemAsync("EXPIRE-ORDER-1", 5);
        var userId = await _cluster.Database.InsertUserAsync();
        var order = _cluster.Client.Order(userId, "expiring");
        var created = await order.CheckoutAsync(await Checkouts.CommandAsync(_cluster.Client, userId, "expiring", [new("EXPIRE-ORDER-1", 3)]));
        Assert.Equal(CheckoutOutcome.Created, created.Outcome);
        await _cluster.Cluster.DeactivateAsync(order);

        var released = await Eventually.TrueAsync(async () =>
            (await _cluster.Client.GetGrain<IInventoryItemGrain>(InventoryKey.For("EXPIRE-ORDER-1")).GetAsync())!.Available == 5,
            TimeSpan.FromSeconds(30));

        Assert.True(released, "the stock was not released after the payment window");
        Assert.Equal(OrderStatus.Cancelled, (await order.GetAsync())!.Status);
        Assert.True(await Eventually.TrueAsync(async () =>
            await _cluster.Database.ScalarAsync<string>("select status from orders where order_number = $1", created.Order!.OrderNumber) == "cancelled",
            TimeSpan.FromSeconds(10)));
    }
}
