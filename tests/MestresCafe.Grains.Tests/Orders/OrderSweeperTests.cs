using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>
/// Orders whose server died hold no timer and no reminder of their own: the one order sweeper finds
/// them and they expire, release their stock and reach the read side by themselves.
/// </summary>
public sealed class OrderSweeperTests : IAsyncLifetime
{
    private const int Orders = 8;
    private PostgresCluster _cluster = null!;

    // The production sweep period; only the payment window is short.
    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync(nameof(OrderSweeperTests), silos: 2,
        settings: new Dictionary<string, string?>
        {
            ["Payments:CardWindow"] = "00:00:05",
            ["Payments:ReservationMargin"] = "00:05:00",
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Unpaid_orders_whose_silo_died_expire_through_the_sweeper_and_release_their_stock()
    {
        var userId = await _cluster.Database.InsertUserAsync();
        var placed = new List<(string Sku, string Number)>();
        for (var i = 0; i < Orders; i++)
        {
            var sku = await _cluster.NewItemAsync("SWEEP", 5, 30m);
            var key = $"sweep-{i}";
            var created = await _cluster.Client.Order(userId, key).CheckoutAsync(await Checkouts.CommandAsync(_cluster.Client, userId, key, [new(sku, 2)]));
            Assert.Equal(CheckoutOutcome.Created, created.Outcome);
            placed.Add((sku, created.Order!.OrderNumber));
        }

        // The sweeper finds an order by its state row, named by the order number: the row of an order
        // whose server died before its first projection is all there is of it.
        Assert.Equal((long)Orders, await _cluster.Database.ScalarAsync<long>(
            "select count(*) from orleansstorage where graintypestring = 'order' and grainidextensionstring = any($1)",
            new object[] { placed.Select(p => p.Number).ToArray() }));

        // Without a goodbye: the orders there (and maybe the sweeper) lose their timers; the
        // inventory holds last five minutes more, so only the orders' expiry can give the stock back.
        await _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos[1]);

        var expired = await Eventually.TrueAsync(async () => await _cluster.Database.ScalarAsync<long>(
            "select count(*) from orders where order_number = any($1) and status = 'cancelled'", new object[] { placed.Select(p => p.Number).ToArray() }) == Orders,
            TimeSpan.FromSeconds(120));

        Assert.True(expired, "some unpaid order did not expire after its silo died");
        foreach (var (sku, number) in placed)
        {
            Assert.Equal((5, 0), await _cluster.Client.StockAsync(sku));
            Assert.Equal(OrderStatus.Cancelled, (await _cluster.Client.GetGrain<IOrderGrain>(number).GetAsync())!.Status);
        }

        // No reminder per order: the sweeper's one reminder is the only one orders left behind.
        Assert.Equal(0L, await _cluster.Database.ScalarAsync<long>("select count(*) from orleansreminderstable where remindername = 'payment-due'"));
        Assert.Equal(1L, await _cluster.Database.ScalarAsync<long>("select count(*) from orleansreminderstable where remindername = 'order-sweeper'"));
    }
}
