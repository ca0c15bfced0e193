using MestresCafe.Coupons;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Grains.Tests.Orders;
using MestresCafe.Loyalty;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Loyalty;

public sealed class LoyaltyClusterFixture : IAsyncLifetime
{
    public PostgresCluster Cluster { get; private set; } = null!;
    public (long RewardId, long FirstOrderId, long FiveOrdersId) Ids { get; private set; }

    public async Task InitializeAsync()
    {
        Cluster = await PostgresCluster.StartAsync(nameof(LoyaltyAccountTests), silos: 2);
        Ids = await LoyaltySeed.InsertProgramAsync(Cluster.Database);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Loyalty accounts fed by real orders over the stream, on a two-silo cluster with PostgreSQL storage and projection.</summary>
public sealed class LoyaltyAccountTests(LoyaltyClusterFixture fixture) : IClassFixture<LoyaltyClusterFixture>
{
    private PostgresCluster Cluster => fixture.Cluster;
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task A_paid_order_earns_points_through_the_stream_and_they_are_projected()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var order = await PaidOrderAsync(userId, "loyalty-paid", price: 60m, quantity: 2);

        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);
        Assert.True(await Eventually.TrueAsync(async () => (await account.GetAsync()).Balance == 120, TimeSpan.FromSeconds(10)),
            "the paid order's points did not reach the account");
        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<string>(
                """
                select cl.points_balance || ':' || cl.tier_level || ':' || (select string_agg(t.transaction_type || t.points_change || ':' || (t.reference_id = o.id), ',') from loyalty_transactions t where t.customer_loyalty_id = cl.id)
                from customer_loyalty cl join customers c on c.id = cl.customer_id, orders o
                where c.user_id = $1 and o.order_number = $2
                """, userId, order.OrderNumber) == "120:Bronze:earn120:true", TimeSpan.FromSeconds(10)),
            "customer_loyalty and loyalty_transactions were not projected");
        Assert.Equal(1L, await Cluster.Database.ScalarAsync<long>(
            "select count(*) from customer_achievements ca join customers c on c.id = ca.customer_id where c.user_id = $1", userId));
        Assert.True(await Eventually.TrueAsync(async () => await Cluster.Database.ScalarAsync<long>(
            "select count(*) from notifications where user_id = $1 and type = 'achievement'", userId) == 1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_partial_refund_reverses_points_in_proportion()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var order = await PaidOrderAsync(userId, "loyalty-refund", price: 100m, quantity: 1); // total 119.90 with PAC
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);
        Assert.True(await Eventually.TrueAsync(async () => (await account.GetAsync()).Balance == 100, TimeSpan.FromSeconds(10)));

        var refunded = await Client.GetGrain<IOrderGrain>(order.OrderNumber).RefundAsync(59.95m, "customer_request", byUserId: await Cluster.Database.InsertUserAsync());
        Assert.Equal(TransitionOutcome.Done, refunded.Outcome);

        Assert.True(await Eventually.TrueAsync(async () => (await account.GetAsync()).Balance == 50, TimeSpan.FromSeconds(10)),
            $"expected 50 points after refunding half, got {(await account.GetAsync()).Balance}");
    }

    [Fact]
    public async Task An_event_delivered_twice_counts_once()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);
        var paid = new LoyaltyOrderEvent(Guid.NewGuid(), DateTimeOffset.UtcNow, LoyaltyOrderEventKind.Paid, "MC-DUP-1", 75m, 75m);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => account.ApplyOrderEventAsync(paid)));
        await account.ApplyOrderEventAsync(paid);

        var snapshot = await account.GetAsync();
        Assert.Equal((75, 75), (snapshot.Balance, snapshot.Earned));
        Assert.Single(snapshot.History);
    }

    [Fact]
    public async Task Hundred_concurrent_redemptions_against_a_balance_for_ten_issue_exactly_ten()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);
        await account.ApplyOrderEventAsync(new(Guid.NewGuid(), DateTimeOffset.UtcNow, LoyaltyOrderEventKind.Paid, "MC-RDM-1", 100m, 100m));

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => account.RedeemAsync(fixture.Ids.RewardId)));

        Assert.Equal(10, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(LoyaltyOutcome.InsufficientPoints, r.Outcome));
        var snapshot = await account.GetAsync();
        Assert.Equal((0, 100), (snapshot.Balance, snapshot.Redeemed));
        var codes = results.Where(r => r.Succeeded).Select(r => r.Redemption!.CouponCode!).Distinct().ToList();
        Assert.Equal(10, codes.Count);
        foreach (var code in codes)
        {
            var coupon = await Client.GetGrain<ICouponGrain>(code).GetAsync();
            Assert.Equal((1, 1), (coupon!.Definition.UsageLimit, coupon.Definition.PerCustomerLimit));
        }

        Assert.True(await Eventually.TrueAsync(async () => await Cluster.Database.ScalarAsync<string>(
            """
            select cl.points_balance || ':' || cl.points_redeemed || ':' || (select count(*) from reward_redemptions r where r.customer_loyalty_id = cl.id and r.status = 'issued')
            from customer_loyalty cl join customers c on c.id = cl.customer_id where c.user_id = $1
            """, userId) == "0:100:10", TimeSpan.FromSeconds(15)), "the redemptions were not projected");
    }

    [Fact]
    public async Task An_achievement_is_earned_exactly_once_under_concurrent_events_and_claimed_once()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            account.ApplyOrderEventAsync(new(Guid.NewGuid(), DateTimeOffset.UtcNow, LoyaltyOrderEventKind.Paid, $"MC-ACH-{i}", 10m, 10m))));
        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => account.ClaimAchievementAsync(fixture.Ids.FiveOrdersId)));

        Assert.Equal(1, claims.Count(c => c.Succeeded));
        Assert.All(claims.Where(c => !c.Succeeded), c => Assert.Equal(LoyaltyOutcome.AlreadyClaimed, c.Outcome));
        var snapshot = await account.GetAsync();
        Assert.Equal(120 + 500, snapshot.Balance);
        Assert.Equal(2, snapshot.Achievements.Count(a => a.EarnedAt is not null));
        Assert.Equal(LoyaltyOutcome.UnknownAchievement, (await account.ClaimAchievementAsync(-1)).Outcome);
        Assert.True(await Eventually.TrueAsync(async () => await Cluster.Database.ScalarAsync<string>(
            """
            select count(*) || ':' || count(*) filter (where is_claimed)
            from customer_achievements ca join customers c on c.id = ca.customer_id where c.user_id = $1
            """, userId) == "2:1", TimeSpan.FromSeconds(10)));
        Assert.Equal(2L, await Cluster.Database.ScalarAsync<long>("select count(*) from notifications where user_id = $1 and type = 'achievement'", userId));
    }

    [Fact]
    public async Task A_reward_coupon_is_usable_once_at_checkout()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);
        await account.ApplyOrderEventAsync(new(Guid.NewGuid(), DateTimeOffset.UtcNow, LoyaltyOrderEventKind.Paid, "MC-CPN-1", 10m, 10m));
        var redeemed = await account.RedeemAsync(fixture.Ids.RewardId);
        Assert.True(redeemed.Succeeded, redeemed.Detail);
        var code = redeemed.Redemption!.CouponCode!;
        var sku = "LY-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await Cluster.Database.InsertItemAsync(sku, 10, 50m);

        // The coupon is the redeemer's: another customer is refused and uses nothing up.
        var stranger = await Cluster.Database.InsertUserAsync();
        var refused = await Client.Order(stranger, "coupon-x").CheckoutAsync(await Checkouts.CommandAsync(Client, stranger, "coupon-x", [new(sku, 1)], coupon: code));
        Assert.Equal(CheckoutOutcome.CouponRefused, refused.Outcome);
        Assert.Equal(nameof(CouponHoldOutcome.OtherCustomer), Assert.Single(refused.Problems).Reason);

        var first = await Client.Order(userId, "coupon-1").CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "coupon-1", [new(sku, 1)], coupon: code));
        Assert.Equal(CheckoutOutcome.Created, first.Outcome);
        Assert.Equal(10m, first.Order!.Totals.Discount);
        await Client.Order(userId, "coupon-1").ApplyPaymentEventAsync(Checkouts.Captured(first.Order));

        var second = await Client.Order(userId, "coupon-2").CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "coupon-2", [new(sku, 1)], coupon: code));
        Assert.Equal(CheckoutOutcome.CouponRefused, second.Outcome);
    }

    [Fact]
    public async Task Unknown_rewards_insufficient_points_and_bad_adjustments_are_refused_without_a_change()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);

        Assert.Equal(LoyaltyOutcome.UnknownReward, (await account.RedeemAsync(-5)).Outcome);
        Assert.Equal(LoyaltyOutcome.InsufficientPoints, (await account.RedeemAsync(fixture.Ids.RewardId)).Outcome);
        Assert.Equal(LoyaltyOutcome.Invalid, (await account.AdjustAsync(-1, "teste", 1)).Outcome);
        Assert.Equal(LoyaltyOutcome.Done, (await account.AdjustAsync(30, "cortesia", 1)).Outcome);
        Assert.Equal(30, (await account.GetAsync()).Balance);
    }

    [Fact]
    public async Task Paid_orders_count_distinct_coffee_origins_for_the_origins_achievement()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);

        await PaidOrderAsync(userId, "origin-1", price: 30m, quantity: 1, origin: "Sul de Minas (MG)");
        await PaidOrderAsync(userId, "origin-2", price: 30m, quantity: 1, origin: "Sul de Minas (MG)");
        await PaidOrderAsync(userId, "origin-3", price: 30m, quantity: 1);
        Assert.True(await Eventually.TrueAsync(async () => (await account.GetAsync()).Balance == 90, TimeSpan.FromSeconds(10)));
        var one = (await account.GetAsync()).Achievements.Single(a => a.Name == "Duas origens");
        Assert.Equal((1m, (DateTimeOffset?)null), (one.Current, one.EarnedAt));

        await PaidOrderAsync(userId, "origin-4", price: 30m, quantity: 1, origin: "Chapada Diamantina (BA)");
        Assert.True(await Eventually.TrueAsync(async () => (await account.GetAsync()).Balance == 120, TimeSpan.FromSeconds(10)));

        var two = (await account.GetAsync()).Achievements.Single(a => a.Name == "Duas origens");
        Assert.Equal(2m, two.Current);
        Assert.NotNull(two.EarnedAt);
        Assert.True(await Eventually.TrueAsync(async () => await Cluster.Database.ScalarAsync<long>(
            "select count(*) from customer_achievements ca join customers c on c.id = ca.customer_id join achievements a on a.id = ca.achievement_id where c.user_id = $1 and a.name = 'Duas origens'",
            userId) == 1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Cancelling_a_paid_order_after_claiming_and_spending_leaves_a_clawback_debt_paid_by_later_earnings()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);
        var order = await PaidOrderAsync(userId, "farm-1", price: 100m, quantity: 1);
        Assert.True(await Eventually.TrueAsync(async () => (await account.GetAsync()).Balance == 100, TimeSpan.FromSeconds(10)));
        Assert.True((await account.ClaimAchievementAsync(fixture.Ids.FirstOrderId)).Succeeded);
        for (var i = 0; i < 15; i++)
        {
            Assert.True((await account.RedeemAsync(fixture.Ids.RewardId)).Succeeded); // 10 points each
        }

        var cancelled = await Client.GetGrain<IOrderGrain>(order.OrderNumber).CancelAsync(null, "cliente desistiu", byCustomer: true, mayRefund: true);
        Assert.Equal(TransitionOutcome.Done, cancelled.Outcome);

        // The order's 100 take the 50 left and owe 50; the claim's 100 are owed: nothing below zero.
        Assert.True(await Eventually.TrueAsync(async () => (await account.GetAsync()).ClawbackDebt == 150, TimeSpan.FromSeconds(10)),
            $"expected a debt of 150, got {(await account.GetAsync()).ClawbackDebt}");
        var after = await account.GetAsync();
        Assert.Equal((0, 150), (after.Balance, after.Redeemed));
        Assert.Equal(LoyaltyOutcome.AlreadyClaimed, (await account.ClaimAchievementAsync(fixture.Ids.FirstOrderId)).Outcome);
        var first = after.Achievements.Single(a => a.AchievementId == fixture.Ids.FirstOrderId);
        Assert.Equal((0m, (DateTimeOffset?)null), (first.Current, first.EarnedAt));
        Assert.True(await Eventually.TrueAsync(async () => await AccountRowAsync(userId) == "0:150:0", TimeSpan.FromSeconds(10)),
            $"customer_loyalty should show the debt; got {await AccountRowAsync(userId)}");
        Assert.Equal(-50L, await Cluster.Database.ScalarAsync<long>(
            """
            select sum(t.points_change) from loyalty_transactions t join orders o on o.id = t.reference_id and t.reference_type = 'order'
            where o.order_number = $1 and t.transaction_type = 'reversal'
            """, order.OrderNumber));

        // A later order earns 60 and is the first again: its points and the achievement's pay the debt first.
        await PaidOrderAsync(userId, "farm-2", price: 60m, quantity: 1);
        Assert.True(await Eventually.TrueAsync(async () => await AccountRowAsync(userId) == "10:0:10", TimeSpan.FromSeconds(10)),
            $"expected the debt paid and 10 points left; got {await AccountRowAsync(userId)}");
        var settled = await account.GetAsync();
        Assert.Equal((10, 0), (settled.Balance, settled.ClawbackDebt));
        Assert.Equal(-150L, await Cluster.Database.ScalarAsync<long>(
            "select sum(t.points_change) from loyalty_transactions t join customer_loyalty cl on cl.id = t.customer_loyalty_id join customers c on c.id = cl.customer_id where c.user_id = $1 and t.transaction_type = 'clawback'",
            userId));
    }

    [Fact]
    public async Task The_same_refund_event_delivered_twice_reverses_once()
    {
        var userId = await Cluster.Database.InsertUserAsync();
        var account = Client.GetGrain<ILoyaltyAccountGrain>(userId);
        await account.ApplyOrderEventAsync(new(Guid.NewGuid(), DateTimeOffset.UtcNow, LoyaltyOrderEventKind.Paid, "MC-IDEM-1", 100m, 100m));
        for (var i = 0; i < 8; i++)
        {
            Assert.True((await account.RedeemAsync(fixture.Ids.RewardId)).Succeeded);
        }

        var refund = new LoyaltyOrderEvent(Guid.NewGuid(), DateTimeOffset.UtcNow, LoyaltyOrderEventKind.Refunded, "MC-IDEM-1", 100m, 100m);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => account.ApplyOrderEventAsync(refund)));
        await account.ApplyOrderEventAsync(refund);

        var snapshot = await account.GetAsync();
        Assert.Equal((0, 80), (snapshot.Balance, snapshot.ClawbackDebt));
        Assert.Single(snapshot.History, h => h.Type == "reversal");
        Assert.True(await Eventually.TrueAsync(async () => await AccountRowAsync(userId) == "0:80:0", TimeSpan.FromSeconds(10)),
            $"got {await AccountRowAsync(userId)}");
        Assert.Equal(1L, await Cluster.Database.ScalarAsync<long>(
            "select count(*) from loyalty_transactions t join customer_loyalty cl on cl.id = t.customer_loyalty_id join customers c on c.id = cl.customer_id where c.user_id = $1 and t.transaction_type = 'reversal'",
            userId));
    }

    /// <summary>balance:debt:sum of the account's loyalty_transactions, as projected.</summary>
    private Task<string> AccountRowAsync(long userId) => Cluster.Database.ScalarAsync<string>(
        """
        select cl.points_balance || ':' || cl.points_debt || ':' || coalesce((select sum(t.points_change) from loyalty_transactions t where t.customer_loyalty_id = cl.id), 0)
        from customer_loyalty cl join customers c on c.id = cl.customer_id where c.user_id = $1
        """, userId);

    private async Task<OrderSnapshot> PaidOrderAsync(long userId, string key, decimal price, int quantity, string? origin = null)
    {
        var sku = "LY-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var productId = await Cluster.Database.InsertItemAsync(sku, 10, price);
        if (origin is not null)
        {
            await Cluster.Database.ScalarAsync<long>(
                "insert into product_attribute_values (product_id, attribute_id, value) select $1, id, $2 from product_attributes where name = 'Origem' returning id",
                productId, origin);
        }

        var created = await Client.Order(userId, key).CheckoutAsync(await Checkouts.CommandAsync(Client, userId, key, [new(sku, quantity)]));
        Assert.Equal(CheckoutOutcome.Created, created.Outcome);
        var paid = await Client.Order(userId, key).ApplyPaymentEventAsync(Checkouts.Captured(created.Order!));
        Assert.Equal(OrderStatus.Paid, paid.Order!.Status);
        return paid.Order;
    }
}
