using System.Collections.Concurrent;
using MestresCafe.Cart;
using MestresCafe.Coupons;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Inventory;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Orders;

public sealed class CheckoutClusterFixture : IAsyncLifetime
{
    public PostgresCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await PostgresCluster.StartAsync(nameof(CheckoutTests), silos: 2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Checkout and the order's life on a two-silo cluster with PostgreSQL storage and projection.</summary>
public sealed class CheckoutTests(CheckoutClusterFixture fixture) : IClassFixture<CheckoutClusterFixture>
{
    private PostgresCluster Cluster => fixture.Cluster;
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task A_paid_checkout_commits_stock_and_projects_the_order()
    {
        var sku = await NewItemAsync(stock: 10, price: 49.90m);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "paid-1");

        var created = await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "paid-1", [new(sku, 3)]));
        Assert.Equal(CheckoutOutcome.Created, created.Outcome);
        Assert.Equal((7, 3), await StockAsync(sku));
        Assert.Equal(OrderStatus.AwaitingPayment, created.Order!.Status);
        Assert.Equal(149.70m + 19.90m, created.Order.Totals.Total);

        var paid = await order.ApplyPaymentEventAsync(Checkouts.Captured(created.Order));

        Assert.Equal(OrderStatus.Paid, paid.Order!.Status);
        var snapshot = (await Inventory(sku).GetAsync())!;
        Assert.Equal((7, 0, 3), (snapshot.Available, snapshot.Reserved, snapshot.Sold));
        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<string>(
                "select status || ':' || total_amount || ':' || (select count(*) from order_status_history h where h.order_id = o.id) || ':' || (select p.status from payments p where p.order_id = o.id) from orders o where order_number = $1",
                created.Order.OrderNumber) == "paid:169.60:3:captured", TimeSpan.FromSeconds(10)),
            "orders, history and payments did not reach the paid state");
    }

    [Fact]
    public async Task The_cart_reads_empty_once_checkout_answers_and_a_change_right_after_is_stored_after_the_clear()
    {
        var sku = await NewItemAsync(stock: 10);
        var next = await NewItemAsync(stock: 10);
        var userId = await Cluster.Database.InsertUserAsync();
        var command = await Checkouts.CommandAsync(Client, userId, "clear-1", [new(sku, 2)]);
        var cart = Client.GetGrain<ICartGrain>(command.CartKey);

        // The clear's write follows the answer; the next change must wait for it (its version check needs the clear's).
        var created = await Client.Order(userId, "clear-1").CheckoutAsync(command);
        var seen = await cart.GetAsync();
        var added = await cart.SetQuantityAsync(next, 1);

        Assert.Equal(CheckoutOutcome.Created, created.Outcome);
        Assert.Empty(seen.Lines);
        Assert.Equal(CartUpdateOutcome.Updated, added.Outcome);
        await Cluster.Cluster.DeactivateAsync(cart);
        var stored = await cart.GetAsync();
        Assert.Equal([(next, 1)], stored.Lines.Select(l => (l.Sku, l.Quantity)));
        Assert.Equal(added.Cart.Version, stored.Version);
    }

    [Fact]
    public async Task The_same_key_retried_concurrently_creates_one_order_and_reserves_once()
    {
        var sku = await NewItemAsync(stock: 10);
        var userId = await Cluster.Database.InsertUserAsync();
        var command = await Checkouts.CommandAsync(Client, userId, "retry-key-1", [new(sku, 2)]);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Client.Order(userId, "retry-key-1").CheckoutAsync(command)));

        Assert.All(results, r => Assert.Equal(CheckoutOutcome.Created, r.Outcome));
        Assert.Single(results.Select(r => r.Order!.OrderNumber).Distinct());
        Assert.Single(results.Select(r => r.Order!.Payment!.PaymentId).Distinct());
        Assert.Equal((8, 2), await StockAsync(sku));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused()
    {
        var sku = await NewItemAsync(stock: 10);
        var userId = await Cluster.Database.InsertUserAsync();
        await Client.Order(userId, "reused").CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "reused", [new(sku, 1)], hash: "first-body"));

        var second = await Client.Order(userId, "reused").CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "reused", [new(sku, 5)], hash: "other-body"));

        Assert.Equal(CheckoutOutcome.KeyReusedWithAnotherBody, second.Outcome);
        Assert.Equal((9, 1), await StockAsync(sku));
    }

    [Fact]
    public async Task A_line_without_stock_fails_the_checkout_naming_it_and_nothing_stays_reserved()
    {
        var plenty = await NewItemAsync(stock: 50);
        var scarce = await NewItemAsync(stock: 2);
        var userId = await Cluster.Database.InsertUserAsync();
        var command = await Checkouts.CommandAsync(Client, userId, "short-1", [new(plenty, 5), new(scarce, 2)]);
        // Another buyer takes one unit after it went into this cart: the cart checks, only checkout reserves.
        Assert.True((await Inventory(scarce).ReserveAsync(Guid.NewGuid(), 1, DateTimeOffset.UtcNow.AddMinutes(10))).Succeeded);

        var result = await Client.Order(userId, "short-1").CheckoutAsync(command);

        Assert.Equal(CheckoutOutcome.InsufficientStock, result.Outcome);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((scarce, 1), (problem.Sku, problem.Available));
        Assert.Equal((50, 0), await StockAsync(plenty));
        Assert.Equal((1, 1), await StockAsync(scarce));
        Assert.Null(await Client.Order(userId, "short-1").GetAsync());
        Assert.Equal(0, await Cluster.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1", userId));
    }

    [Fact]
    public async Task Items_no_longer_sold_and_an_empty_cart_are_refused_without_reserving()
    {
        // The cart refuses unknown items and quantities out of range itself; checkout prices the
        // cart again, so an item withdrawn after it went into the cart is what reaches the order.
        var sku = await NewItemAsync(stock: 5);
        var withdrawn = await NewItemAsync(stock: 5);
        var userId = await Cluster.Database.InsertUserAsync();
        var command = await Checkouts.CommandAsync(Client, userId, "bad-1", [new(sku, 1), new(withdrawn, 1)]);
        await Cluster.Database.ExecuteAsync($"update products set is_active = false where sku = '{withdrawn}'");

        var unknown = await Client.Order(userId, "bad-1").CheckoutAsync(command);
        var empty = await Client.Order(userId, "bad-4").CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "bad-4", []));

        Assert.Equal(CheckoutOutcome.InvalidLines, unknown.Outcome);
        Assert.Equal(withdrawn, Assert.Single(unknown.Problems).Sku);
        Assert.Equal(CheckoutOutcome.EmptyCart, empty.Outcome);
        Assert.Equal((5, 0), await StockAsync(sku));
        Assert.Equal((5, 0), await StockAsync(withdrawn));
    }

    [Fact]
    public async Task A_declined_card_releases_the_stock()
    {
        var sku = await NewItemAsync(stock: 4);
        var userId = await Cluster.Database.InsertUserAsync();

        var result = await Client.Order(userId, "declined").CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "declined", [new(sku, 4)], cardToken: "tok_declined"));

        Assert.Equal(CheckoutOutcome.PaymentDeclined, result.Outcome);
        Assert.Equal((4, 0), await StockAsync(sku));
    }

    [Fact]
    public async Task Webhooks_delivered_twice_and_out_of_order_are_applied_once()
    {
        var sku = await NewItemAsync(stock: 10);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "webhooks");
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "webhooks", [new(sku, 2)], method: PaymentMethodKind.Pix, cardToken: null))).Order!;
        var captured = Checkouts.Captured(created, "evt_capture_1");

        await order.ApplyPaymentEventAsync(captured);
        await order.ApplyPaymentEventAsync(captured);
        await order.ApplyPaymentEventAsync(Checkouts.Failed(created, "evt_late_failure"));

        var after = (await order.GetAsync())!;
        Assert.Equal(OrderStatus.Paid, after.Status);
        Assert.Equal(PaymentStatus.Captured, after.Payment!.Status);
        var stock = (await Inventory(sku).GetAsync())!;
        Assert.Equal((8, 0, 2), (stock.Available, stock.Reserved, stock.Sold));
    }

    [Fact]
    public async Task A_capture_after_a_failure_refunds_instead_of_reviving_the_order()
    {
        var sku = await NewItemAsync(stock: 10);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "late-capture");
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "late-capture", [new(sku, 2)], method: PaymentMethodKind.Pix, cardToken: null))).Order!;

        await order.ApplyPaymentEventAsync(Checkouts.Failed(created));
        await order.ApplyPaymentEventAsync(Checkouts.Captured(created));

        var after = (await order.GetAsync())!;
        Assert.Equal(OrderStatus.Refunded, after.Status);
        Assert.Equal(after.Payment!.Amount, after.Payment.RefundedAmount);
        Assert.Equal((10, 0), await StockAsync(sku));
    }

    [Fact]
    public async Task Illegal_status_transitions_are_refused()
    {
        var sku = await NewItemAsync(stock: 10);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "illegal");
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "illegal", [new(sku, 1)]))).Order!;

        Assert.Equal(TransitionOutcome.IllegalTransition, (await order.ShipAsync("BR123", userId)).Outcome);
        Assert.Equal(TransitionOutcome.IllegalTransition, (await order.DeliverAsync(userId)).Outcome);
        await order.ApplyPaymentEventAsync(Checkouts.Captured(created));
        Assert.Equal(TransitionOutcome.IllegalTransition, (await order.DeliverAsync(userId)).Outcome);
        Assert.Equal(TransitionOutcome.Done, (await order.ShipAsync("BR123456789", userId)).Outcome);
        Assert.Equal(TransitionOutcome.IllegalTransition, (await order.CancelAsync(userId, "tarde demais", byCustomer: true, mayRefund: true)).Outcome);
        Assert.Equal(TransitionOutcome.Done, (await order.DeliverAsync(userId)).Outcome);
        Assert.Equal(TransitionOutcome.IllegalTransition, (await order.ShipAsync("BR999", userId)).Outcome);
        Assert.Equal(TransitionOutcome.Invalid, (await order.RefundAsync(1m, "avaria", await Cluster.Database.InsertUserAsync())).Outcome);
    }

    [Fact]
    public async Task A_return_restocks_the_item_and_refunds_its_share()
    {
        var sku = await NewItemAsync(stock: 10, price: 80m);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "return-1");
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "return-1", [new(sku, 3)]))).Order!;
        await order.ApplyPaymentEventAsync(Checkouts.Captured(created));
        await order.ShipAsync("BR000111222", userId);
        await order.DeliverAsync(userId);

        var requested = await order.RequestReturnAsync(new ReturnRequest(sku, 1, "damaged", "pacote amassado"), userId);
        var tooMany = await order.RequestReturnAsync(new ReturnRequest(sku, 3, "changed_mind", null), userId);
        var returnId = Assert.Single(requested.Order!.Returns).ReturnId;
        Assert.Equal(TransitionOutcome.Invalid, tooMany.Outcome);
        Assert.Equal(TransitionOutcome.IllegalTransition, (await order.ReceiveReturnAsync(returnId, userId)).Outcome);
        await order.ApproveReturnAsync(returnId, approve: true, userId);
        await order.ReceiveReturnAsync(returnId, userId);
        await order.ReceiveReturnAsync(returnId, userId);
        var refunded = await order.RefundReturnAsync(returnId, await Cluster.Database.InsertUserAsync());

        Assert.Equal(OrderStatus.PartiallyRefunded, refunded.Order!.Status);
        Assert.Equal(80m, refunded.Order.Payment!.RefundedAmount);
        var stock = (await Inventory(sku).GetAsync())!;
        Assert.Equal((8, 3), (stock.Available, stock.Sold));
        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<string>(
                "select r.status || ':' || r.refund_amount || ':' || (select count(*) from payment_refunds pr join payments p on p.id = pr.payment_id where p.order_id = o.id) from returns r join orders o on o.id = r.order_id where o.order_number = $1",
                created.OrderNumber) == "refunded:80.00:1", TimeSpan.FromSeconds(10)),
            "the return and its refund were not projected");
    }

    [Fact]
    public async Task Cancelling_a_paid_order_restocks_and_refunds_everything()
    {
        var sku = await NewItemAsync(stock: 6);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "cancel-paid");
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "cancel-paid", [new(sku, 2)]))).Order!;
        await order.ApplyPaymentEventAsync(Checkouts.Captured(created));

        var cancelled = await order.CancelAsync(userId, "desisti", byCustomer: true, mayRefund: true);
        var again = await order.CancelAsync(userId, "desisti", byCustomer: true, mayRefund: true);

        Assert.Equal(OrderStatus.Cancelled, cancelled.Order!.Status);
        Assert.Equal(TransitionOutcome.IllegalTransition, again.Outcome);
        Assert.Equal(PaymentStatus.Refunded, cancelled.Order.Payment!.Status);
        Assert.Equal((6, 0), await StockAsync(sku));
    }

    [Fact]
    public async Task Five_hundred_concurrent_checkouts_never_use_a_coupon_beyond_its_limits()
    {
        var sku = await NewItemAsync(stock: 2000, price: 100m);
        var users = await Cluster.Database.InsertUsersAsync(250);
        var code = "LIMIT50" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await Client.GetGrain<ICouponGrain>(code).DefineAsync(new CouponDefinition(
            CouponType.Percentage, 10m, 0m, UsageLimit: 50, PerCustomerLimit: 1, null, null, true, CouponConditions.None, "teste de limite"));

        var attempts = users.SelectMany(u => new[] { (User: u, Key: $"{code}-{u}-a"), (User: u, Key: $"{code}-{u}-b") }).ToList();
        var results = new ConcurrentBag<(long User, CheckoutResult Result)>();
        await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (attempt, _) =>
        {
            var order = Client.Order(attempt.User, attempt.Key);
            var result = await order.CheckoutAsync(await Checkouts.CommandAsync(Client, attempt.User, attempt.Key, [new(sku, 1)], coupon: code));
            if (result.Outcome == CheckoutOutcome.Created)
            {
                await order.ApplyPaymentEventAsync(Checkouts.Captured(result.Order!));
            }

            results.Add((attempt.User, result));
        });

        var withCoupon = results.Where(r => r.Result.Outcome == CheckoutOutcome.Created).ToList();
        Assert.InRange(withCoupon.Count, 1, 50);
        Assert.Equal(withCoupon.Count, withCoupon.Select(r => r.User).Distinct().Count());
        Assert.All(results.Where(r => r.Result.Outcome != CheckoutOutcome.Created), r => Assert.Equal(CheckoutOutcome.CouponRefused, r.Result.Outcome));
        var coupon = (await Client.GetGrain<ICouponGrain>(code).GetAsync())!;
        Assert.Equal(withCoupon.Count, coupon.UsedCount);
        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<int>("select count(*) from coupon_usage u join coupons c on c.id = u.coupon_id where c.code = $1", code) == withCoupon.Count,
            TimeSpan.FromSeconds(20)), "coupon_usage did not catch up with the confirmed uses");
        Assert.Equal(2000 - withCoupon.Count, (await Inventory(sku).GetAsync())!.Available);
    }

    [Fact]
    public async Task Racing_checkouts_of_one_customer_with_a_first_order_coupon_give_the_discount_once()
    {
        var sku = await NewItemAsync(stock: 100, price: 100m);
        var userId = await Cluster.Database.InsertUserAsync();
        await Cluster.Database.ExecuteAsync($"update users set email_verified_at = now() where id = {userId}");
        var code = "PRIMEIRA" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        // No per-customer limit: "first order" alone must keep the coupon to one order of this customer.
        await Client.GetGrain<ICouponGrain>(code).DefineAsync(new CouponDefinition(
            CouponType.Percentage, 10m, 0m, null, null, null, null, true, new CouponConditions([], [], true, []), "primeira compra"));
        var keys = Enumerable.Range(0, 8).Select(i => $"first-race-{i}").ToList();
        var commands = await Task.WhenAll(keys.Select(key => Checkouts.CommandAsync(Client, userId, key, [new(sku, 1)], coupon: code)));

        var results = await Task.WhenAll(commands.Select(command => Client.Order(userId, command.IdempotencyKey).CheckoutAsync(command)));

        var created = Assert.Single(results, r => r.Outcome == CheckoutOutcome.Created);
        Assert.Equal(10m, created.Order!.Totals.Discount);
        Assert.All(results.Where(r => r.Outcome != CheckoutOutcome.Created),
            r => Assert.Equal((CheckoutOutcome.CouponRefused, CouponHoldOutcome.FirstOrderOnly), (r.Outcome, r.CouponOutcome)));
        await Client.GetGrain<IOrderGrain>(created.Order.OrderNumber).ApplyPaymentEventAsync(Checkouts.Captured(created.Order));

        // Over the whole history: once paid and projected, a later checkout is no first order either.
        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<int>("select count(*) from coupon_usage u join coupons c on c.id = u.coupon_id where c.code = $1", code) == 1,
            TimeSpan.FromSeconds(20)), "coupon_usage did not catch up with the confirmed use");
        var later = await Client.Order(userId, "first-race-later").CheckoutAsync(
            await Checkouts.CommandAsync(Client, userId, "first-race-later", [new(sku, 1)], coupon: code));
        Assert.Equal(CouponHoldOutcome.FirstOrderOnly, later.CouponOutcome);
        Assert.Equal(1, (await Client.GetGrain<ICouponGrain>(code).GetAsync())!.UsedCount);
        Assert.Equal(1, await Cluster.Database.ScalarAsync<int>("select count(*) from orders where user_id = $1 and discount_amount > 0", userId));
        Assert.Equal((99, 0), await StockAsync(sku));
    }

    private Task<string> NewItemAsync(int stock, decimal price = 25m) => Cluster.NewItemAsync("CK", stock, price);

    private IInventoryItemGrain Inventory(string sku) => Client.Inventory(sku);

    private Task<(int Available, int Reserved)> StockAsync(string sku) => Client.StockAsync(sku);
}
