using System.Collections.Concurrent;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Grains.Tests.Orders;
using MestresCafe.Loyalty;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Loyalty;

/// <summary>
/// A silo dies while orders are being paid and their loyalty events are in flight. Afterwards, over
/// the whole history: every acknowledged paid order has its points exactly once, in the account's
/// state and in the projected tables, without the test touching any order again.
/// </summary>
public sealed class LoyaltyCrashTests : IAsyncLifetime
{
    private const int Customers = 6;
    private const int OrdersPerCustomer = 8;
    private const int KillAfterPaid = 14;

    private PostgresCluster _cluster = null!;

    // A short card window: the payment-due reminder of every order fires soon after checkout and
    // re-activates orders whose outbox died with the silo; in production it fires after 15 minutes.
    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(nameof(LoyaltyCrashTests), silos: 2, settings: new Dictionary<string, string?>
        {
            ["Payments:CardWindow"] = "00:00:10",
            ["Payments:ReservationMargin"] = "00:05:00",
        });
        await LoyaltySeed.InsertProgramAsync(_cluster.Database);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_killed_while_orders_are_paid_loses_no_points_and_counts_none_twice()
    {
        var users = await _cluster.Database.InsertUsersAsync(Customers);
        var plan = new List<(long UserId, string Key, string Sku, int Price)>();
        foreach (var (userId, u) in users.Select((id, u) => (id, u)))
        {
            for (var i = 0; i < OrdersPerCustomer; i++)
            {
                // Distinct whole prices, so each order's points (1 per BRL of merchandise) identify it.
                var price = 11 + (u * OrdersPerCustomer) + i;
                var sku = $"CRASH-{u}-{i}";
                await _cluster.Database.InsertItemAsync(sku, 5, price);
                plan.Add((userId, $"crash-{i}", sku, price));
            }
        }

        var paid = new ConcurrentDictionary<string, (long UserId, int Points)>();
        var paidCount = 0;
        Task? kill = null;
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (order, _) =>
        {
            var grain = _cluster.Client.Order(order.UserId, order.Key);
            // A call cut off by the crash is retried as a client would: the same key reaches the same
            // order, and the same gateway event is recognised as a duplicate.
            var command = await RetryAsync(() => Checkouts.CommandAsync(_cluster.Client, order.UserId, order.Key, [new(order.Sku, 1)]));
            var created = await RetryAsync(() => grain.CheckoutAsync(command));
            Assert.Equal(CheckoutOutcome.Created, created.Outcome);
            var capture = Checkouts.Captured(created.Order!);
            var result = await RetryAsync(() => grain.ApplyPaymentEventAsync(capture));
            if (result.Order?.Status == OrderStatus.Paid)
            {
                paid[result.Order.OrderNumber] = (order.UserId, order.Price);
                if (Interlocked.Increment(ref paidCount) == KillAfterPaid)
                {
                    // The other orders are mid-checkout, mid-payment or mid-delivery to their accounts.
                    kill = _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos[1]);
                }
            }
        });

        Assert.NotNull(kill);
        await kill;
        // A capture delayed past the 10 s window by the crash finds the order expired (and is refunded):
        // such an order is not paid and must earn nothing, which the checks below include.
        Assert.True(paid.Count >= plan.Count / 2, $"only {paid.Count} of {plan.Count} orders were paid");

        var expected = users.ToDictionary(u => u, u => paid.Where(p => p.Value.UserId == u).ToList());
        var settled = await Eventually.TrueAsync(async () =>
        {
            foreach (var (userId, orders) in expected)
            {
                var balance = await RetryAsync(async () => (await _cluster.Client.GetGrain<ILoyaltyAccountGrain>(userId).GetAsync()).Balance);
                if (balance != orders.Sum(o => o.Value.Points))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(90));
        Assert.True(settled, "some paid order's points never reached its account");

        foreach (var (userId, orders) in expected)
        {
            var account = await _cluster.Client.GetGrain<ILoyaltyAccountGrain>(userId).GetAsync();
            var points = orders.Sum(o => o.Value.Points);
            Assert.Equal((points, points, 0), (account.Balance, account.Earned, account.Redeemed));
            var earned = account.History.Where(h => h.Type == "earn").Select(h => h.Reason).Order().ToList();
            Assert.Equal(orders.Select(o => $"pedido {o.Key}").Order().ToList(), earned);
        }

        Assert.True(await Eventually.TrueAsync(async () => await _cluster.Database.ScalarAsync<long>(
                "select coalesce(sum(points_balance), 0) from customer_loyalty") == paid.Values.Sum(p => p.Points), TimeSpan.FromSeconds(30)),
            "customer_loyalty did not catch up with the accounts");
        foreach (var (userId, orders) in expected)
        {
            Assert.Equal(orders.Sum(o => o.Value.Points), await _cluster.Database.ScalarAsync<int>(
                "select cl.points_balance from customer_loyalty cl join customers c on c.id = cl.customer_id where c.user_id = $1", userId));
        }

        // One earn row per paid order, of that order's points, referencing it; none for anything else.
        var numbers = paid.Keys.ToArray();
        Assert.Equal(0L, await _cluster.Database.ScalarAsync<long>(
            """
            select count(*) from unnest($1::text[]) n(order_number)
            left join orders o on o.order_number = n.order_number
            where (select count(*) from loyalty_transactions t where t.transaction_type = 'earn' and t.reference_type = 'order' and t.reference_id = o.id) <> 1
            """, new object[] { numbers }));
        Assert.Equal((long)paid.Count, await _cluster.Database.ScalarAsync<long>("select count(*) from loyalty_transactions where transaction_type = 'earn'"));
        Assert.Equal((long)paid.Values.Sum(p => p.Points), await _cluster.Database.ScalarAsync<long>(
            "select sum(t.points_change) from loyalty_transactions t join orders o on o.id = t.reference_id where t.transaction_type = 'earn' and o.order_number = any($1)", new object[] { numbers }));
        Assert.Equal(0L, await _cluster.Database.ScalarAsync<long>(
            """
            select count(*) from loyalty_transactions t join orders o on o.id = t.reference_id
            where t.transaction_type = 'earn' and t.points_change <> floor(o.subtotal - o.discount_amount)
            """));
    }

    [Fact]
    public async Task A_refund_delivered_again_after_the_accounts_silo_died_reverses_once()
    {
        var rewardId = await _cluster.Database.ScalarAsync<long>("select id from rewards where name = 'Desconto de R$ 10'");
        var (userId, account) = await AccountOnAsync(_cluster.Cluster.Silos[1]);
        await account.ApplyOrderEventAsync(new(Guid.NewGuid(), DateTimeOffset.UtcNow, LoyaltyOrderEventKind.Paid, "MC-CRASH-R", 100m, 100m));
        for (var i = 0; i < 6; i++)
        {
            Assert.True((await account.RedeemAsync(rewardId)).Succeeded);
        }

        // Acknowledged means written with the account's state; the silo then dies before (or after:
        // either way) the projection ran, and the order, not knowing, delivers the event again.
        var refund = new LoyaltyOrderEvent(Guid.NewGuid(), DateTimeOffset.UtcNow, LoyaltyOrderEventKind.Refunded, "MC-CRASH-R", 100m, 100m);
        await account.ApplyOrderEventAsync(refund);
        await _cluster.Cluster.KillSiloAsync(_cluster.Cluster.Silos[1]);
        await RetryAsync(() => account.ApplyOrderEventAsync(refund));
        await account.ApplyOrderEventAsync(refund);

        var snapshot = await account.GetAsync();
        Assert.Equal((0, 60), (snapshot.Balance, snapshot.ClawbackDebt));
        Assert.Single(snapshot.History, h => h.Type == "reversal");
        Assert.True(await Eventually.TrueAsync(async () => await _cluster.Database.ScalarAsync<string>(
            """
            select cl.points_balance || ':' || cl.points_debt || ':' || (select count(*) from loyalty_transactions t where t.customer_loyalty_id = cl.id and t.transaction_type = 'reversal')
                   || ':' || (select sum(t.points_change) from loyalty_transactions t where t.customer_loyalty_id = cl.id)
            from customer_loyalty cl join customers c on c.id = cl.customer_id where c.user_id = $1
            """, userId) == "0:60:1:0", TimeSpan.FromSeconds(30)), "the reversal was not projected exactly once");
    }

    /// <summary>A new customer's account, active on the given silo (moved there when placement chose the other).</summary>
    private async Task<(long UserId, ILoyaltyAccountGrain Account)> AccountOnAsync(Orleans.TestingHost.InProcessSiloHandle silo)
    {
        var userId = await _cluster.Database.InsertUserAsync();
        var account = _cluster.Client.GetGrain<ILoyaltyAccountGrain>(userId);
        await account.GetAsync();
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        if (await management.GetActivationAddress(account) != silo.SiloAddress)
        {
            await _cluster.Cluster.MigrateAsync(account, silo.SiloAddress);
            await account.GetAsync();
        }

        Assert.Equal(silo.SiloAddress, await management.GetActivationAddress(account));
        return (userId, account);
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (attempt < 30)
            {
                await Task.Delay(300);
            }
        }
    }
}
