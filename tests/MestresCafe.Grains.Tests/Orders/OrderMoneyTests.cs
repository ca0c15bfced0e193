using System.Collections.Concurrent;
using MestresCafe.Grains.Payments;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Inventory;
using MestresCafe.Orders;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Grains.Tests.Orders;

public sealed class OrderMoneyClusterFixture : IAsyncLifetime
{
    /// <summary>A boleto's stock hold, short enough for a test to see it lapse.</summary>
    public static readonly TimeSpan BoletoHold = TimeSpan.FromSeconds(2);

    public PostgresCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await PostgresCluster.StartAsync(
        nameof(OrderMoneyTests), silos: 2,
        settings: new Dictionary<string, string?>
        {
            ["StockHolds:BoletoStockHold"] = BoletoHold.ToString(),
            ["Payments:ReservationMargin"] = TimeSpan.Zero.ToString(),
        },
        configure: silo => silo.Services.AddSingleton<IPaymentGateway, RecordingGateway>());

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Money and stock safety of an order on a two-silo cluster: one refund rule for every path, no
/// self-approved refunds, webhooks checked against the payment, caps on what unpaid orders hold.
/// </summary>
public sealed class OrderMoneyTests(OrderMoneyClusterFixture fixture) : IClassFixture<OrderMoneyClusterFixture>
{
    private PostgresCluster Cluster => fixture.Cluster;
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task A_partial_refund_followed_by_a_return_refunds_no_more_than_was_captured()
    {
        var staff = await Cluster.Database.InsertUserAsync();
        var (order, snapshot, sku) = await DeliveredOrderAsync("partial-then-return", price: 80m, quantity: 3); // 240.00, PAC free
        Assert.Equal(TransitionOutcome.Done, (await order.RefundAsync(200m, "customer_request", staff)).Outcome);
        var returnId = await ReceivedReturnAsync(order, sku, staff);

        var refunded = await order.RefundReturnAsync(returnId, staff);

        Assert.Equal(TransitionOutcome.Done, refunded.Outcome);
        Assert.Equal(240m, refunded.Order!.Payment!.RefundedAmount);
        Assert.Equal(PaymentStatus.Refunded, refunded.Order.Payment.Status);
        Assert.Equal(40m, Assert.Single(refunded.Order.Returns).RefundAmount);
        Assert.Equal(240m, RecordingGateway.RefundedFor(snapshot.Payment!.GatewayTransactionId!));
        Assert.True(await Eventually.TrueAsync(async () => await RefundedRowsAsync(snapshot.OrderNumber) == 240m, TimeSpan.FromSeconds(10)),
            "payment_refunds did not reach the refunded total");
    }

    [Fact]
    public async Task A_return_reason_the_database_refuses_is_refused_by_the_order_itself_not_only_by_the_api()
    {
        var (order, _, sku) = await DeliveredOrderAsync("bad-return-reason", price: 80m, quantity: 2);
        var customer = (await order.GetAsync())!.UserId;

        // A caller other than the API (a back-office tool, a job): order_returns' CHECK would refuse
        // this row and stall the order's projection for good, so the order must refuse it first.
        var refused = await order.RequestReturnAsync(new ReturnRequest(sku, 1, "because", null), customer);

        Assert.Equal(TransitionOutcome.Invalid, refused.Outcome);
        Assert.Empty((await order.GetAsync())!.Returns);
        Assert.Equal(TransitionOutcome.Done, (await order.RequestReturnAsync(new ReturnRequest(sku, 1, "damaged", null), customer)).Outcome);
    }

    [Fact]
    public async Task Two_partial_refunds_in_a_row_are_both_projected()
    {
        var staff = await Cluster.Database.InsertUserAsync();
        var (order, snapshot, _) = await DeliveredOrderAsync("two-partials", price: 80m, quantity: 3);

        Assert.Equal(TransitionOutcome.Done, (await order.RefundAsync(10m, "customer_request", staff)).Outcome);
        Assert.Equal(TransitionOutcome.Done, (await order.RefundAsync(15m, "other", staff)).Outcome);

        Assert.True(await Eventually.TrueAsync(async () => await RefundedRowsAsync(snapshot.OrderNumber) == 25m, TimeSpan.FromSeconds(10)),
            $"payment_refunds hold {await RefundedRowsAsync(snapshot.OrderNumber)} of 25.00: the projection stalled");
    }

    [Fact]
    public async Task Concurrent_refunds_and_return_refunds_from_two_silos_never_exceed_the_capture()
    {
        var staff = await Cluster.Database.InsertUserAsync();
        var (order, snapshot, sku) = await DeliveredOrderAsync("concurrent-refunds", price: 80m, quantity: 3);
        var returns = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            returns.Add(await ReceivedReturnAsync(order, sku, staff));
        }

        // Every call goes through the grain factory of one silo or the other, all at once.
        var silos = Cluster.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).ToArray();
        Assert.Equal(2, silos.Length);
        IOrderGrain On(int i) => silos[i % silos.Length].GetGrain<IOrderGrain>(snapshot.OrderNumber);
        var plain = Enumerable.Range(0, 8).Select(i => (Amount: 50m, Call: On(i).RefundAsync(50m, "customer_request", staff)));
        var ofReturns = returns.SelectMany((id, i) => new[] { On(i).RefundReturnAsync(id, staff), On(i + 1).RefundReturnAsync(id, staff) });
        var plainResults = await Task.WhenAll(plain.Select(p => p.Call));
        var returnResults = await Task.WhenAll(ofReturns);

        Assert.All(plainResults.Concat(returnResults), r => Assert.Contains(r.Outcome,
            new[] { TransitionOutcome.Done, TransitionOutcome.Invalid, TransitionOutcome.IllegalTransition }));
        var final = (await order.GetAsync())!;
        var refundedByCalls = plainResults.Count(r => r.Succeeded) * 50m
            + final.Returns.Where(r => r.Status == ReturnStatus.Refunded).Sum(r => r.RefundAmount);
        Assert.Equal(240m, final.Payment!.Amount);
        Assert.InRange(final.Payment.RefundedAmount, 0m, 240m);
        Assert.Equal(refundedByCalls, final.Payment.RefundedAmount);
        Assert.Equal(final.Payment.RefundedAmount, RecordingGateway.RefundedFor(snapshot.Payment!.GatewayTransactionId!));
        Assert.True(await Eventually.TrueAsync(async () => await RefundedRowsAsync(snapshot.OrderNumber) == final.Payment.RefundedAmount, TimeSpan.FromSeconds(10)),
            $"payment_refunds hold {await RefundedRowsAsync(snapshot.OrderNumber)}, the order refunded {final.Payment.RefundedAmount}");
        Assert.True(await Cluster.Database.ScalarAsync<bool>(
            "select coalesce(sum(r.amount), 0) <= p.amount from payments p join orders o on o.id = p.order_id left join payment_refunds r on r.payment_id = p.id where o.order_number = $1 group by p.amount",
            snapshot.OrderNumber));
    }

    [Fact]
    public async Task Staff_cannot_refund_or_cancel_with_a_refund_an_order_they_placed_themselves()
    {
        var (order, snapshot, sku) = await DeliveredOrderAsync("self-refund", price: 80m, quantity: 2);
        var self = snapshot.UserId;
        var returnId = await ReceivedReturnAsync(order, sku, self);

        Assert.Equal(TransitionOutcome.Forbidden, (await order.RefundAsync(10m, "customer_request", self)).Outcome);
        Assert.Equal(TransitionOutcome.Forbidden, (await order.RefundReturnAsync(returnId, self)).Outcome);
        var paid = await PaidOrderAsync(self, "self-cancel", sku, 1);
        Assert.Equal(TransitionOutcome.Forbidden, (await paid.CancelAsync(self, "eu mesmo", byCustomer: false, mayRefund: true)).Outcome);

        Assert.Equal(0m, (await order.GetAsync())!.Payment!.RefundedAmount);
        Assert.Equal(OrderStatus.Paid, (await paid.GetAsync())!.Status);
    }

    [Fact]
    public async Task Cancelling_a_paid_order_needs_the_refund_permission_and_an_unpaid_one_does_not()
    {
        var staff = await Cluster.Database.InsertUserAsync();
        var sku = await NewItemAsync(stock: 10);
        var userId = await Cluster.Database.InsertUserAsync();
        var paid = await PaidOrderAsync(userId, "cancel-paid-perm", sku, 1);
        var unpaid = Client.Order(userId, "cancel-unpaid-perm");
        await unpaid.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "cancel-unpaid-perm", [new(sku, 1)], method: PaymentMethodKind.Pix, cardToken: null));

        var refused = await paid.CancelAsync(staff, "suporte", byCustomer: false, mayRefund: false);
        var unpaidCancelled = await unpaid.CancelAsync(staff, "suporte", byCustomer: false, mayRefund: false);
        var allowed = await paid.CancelAsync(staff, "gerente", byCustomer: false, mayRefund: true);

        Assert.Equal(TransitionOutcome.Forbidden, refused.Outcome);
        Assert.Equal(OrderStatus.Paid, refused.Order!.Status);
        Assert.Equal(TransitionOutcome.Done, unpaidCancelled.Outcome);
        Assert.Equal(TransitionOutcome.Done, allowed.Outcome);
        Assert.Equal(PaymentStatus.Refunded, allowed.Order!.Payment!.Status);
        Assert.Equal((10, 0), await StockAsync(sku));
    }

    [Fact]
    public async Task A_capture_of_another_amount_or_transaction_is_refused_and_leaves_the_order_unpaid()
    {
        var sku = await NewItemAsync(stock: 5, price: 100m);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "mismatch");
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "mismatch", [new(sku, 1)], method: PaymentMethodKind.Pix, cardToken: null))).Order!;

        var underpaid = await order.ApplyPaymentEventAsync(Checkouts.Captured(created) with { Amount = 1.00m });
        var otherTransaction = await order.ApplyPaymentEventAsync(Checkouts.Captured(created) with { GatewayTransactionId = "ch_not_this_order" });

        Assert.Equal(TransitionOutcome.Invalid, underpaid.Outcome);
        Assert.Contains("does not match", underpaid.Detail);
        Assert.Equal(TransitionOutcome.Invalid, otherTransaction.Outcome);
        Assert.Equal(OrderStatus.AwaitingPayment, (await order.GetAsync())!.Status);
        Assert.Equal((4, 1), await StockAsync(sku));
        Assert.Equal(OrderStatus.Paid, (await order.ApplyPaymentEventAsync(Checkouts.Captured(created))).Order!.Status);
    }

    [Fact]
    public async Task One_order_may_take_at_most_ten_units_of_an_item()
    {
        var sku = await NewItemAsync(stock: 100);
        var userId = await Cluster.Database.InsertUserAsync();

        var tooMany = await Client.Order(userId, "line-cap").CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "line-cap", [new(sku, 11)]));
        var ten = await Client.Order(userId, "line-ok").CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "line-ok", [new(sku, 10)]));

        Assert.Equal(CheckoutOutcome.InvalidLines, tooMany.Outcome);
        Assert.Equal(("order_line_limit", sku), (Assert.Single(tooMany.Problems).Reason, tooMany.Problems[0].Sku));
        Assert.Equal(CheckoutOutcome.Created, ten.Outcome);
        Assert.Equal((90, 10), await StockAsync(sku));
    }

    [Fact]
    public async Task Concurrent_checkouts_of_one_customer_never_hold_more_than_twenty_units_of_an_item()
    {
        var sku = await NewItemAsync(stock: 200);
        var userId = await Cluster.Database.InsertUserAsync();
        var silos = Cluster.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).ToArray();

        var commands = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Checkouts.CommandAsync(Client, userId, $"hoard-{i}", [new(sku, 5)], method: PaymentMethodKind.Boleto, cardToken: null)));
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            silos[i % silos.Length].GetGrain<IOrderGrain>(OrderNumbers.For(userId, $"hoard-{i}")).CheckoutAsync(commands[i])));

        var created = results.Where(r => r.Outcome == CheckoutOutcome.Created).ToList();
        Assert.Equal(4, created.Count);
        Assert.All(results.Where(r => r.Outcome != CheckoutOutcome.Created), r => Assert.Equal(CheckoutOutcome.HoldLimitReached, r.Outcome));
        Assert.Equal((180, 20), await StockAsync(sku));

        // Paying one frees its units from the cap: the customer may hold five more.
        var first = created[0].Order!;
        await Client.GetGrain<IOrderGrain>(first.OrderNumber).ApplyPaymentEventAsync(Checkouts.Captured(first));
        var after = await Client.Order(userId, "hoard-after-paying").CheckoutAsync(
            await Checkouts.CommandAsync(Client, userId, "hoard-after-paying", [new(sku, 5)], method: PaymentMethodKind.Boleto, cardToken: null));
        Assert.Equal(CheckoutOutcome.Created, after.Outcome);
        Assert.Equal(CheckoutOutcome.HoldLimitReached, (await Client.Order(userId, "hoard-one-more").CheckoutAsync(
            await Checkouts.CommandAsync(Client, userId, "hoard-one-more", [new(sku, 1)], method: PaymentMethodKind.Boleto, cardToken: null))).Outcome);
    }

    [Fact]
    public async Task A_boleto_holds_stock_for_hours_not_for_its_whole_payment_window()
    {
        var sku = await NewItemAsync(stock: 5);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "boleto-hold");
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "boleto-hold", [new(sku, 2)], method: PaymentMethodKind.Boleto, cardToken: null))).Order!;

        Assert.True(created.PaymentDueAt - created.CreatedAt >= TimeSpan.FromDays(1), "the boleto stays payable for days");
        Assert.True(await Eventually.TrueAsync(async () => await StockAsync(sku) == (5, 0), TimeSpan.FromSeconds(20)),
            "the boleto's stock hold did not lapse");
        Assert.Equal(OrderStatus.AwaitingPayment, (await order.GetAsync())!.Status);

        // Paid late with the stock still there: the order takes it again and is paid.
        var paid = await order.ApplyPaymentEventAsync(Checkouts.Captured(created));
        Assert.Equal(OrderStatus.Paid, paid.Order!.Status);
        var stock = (await Inventory(sku).GetAsync())!;
        Assert.Equal((3, 0, 2), (stock.Available, stock.Reserved, stock.Sold));
    }

    [Fact]
    public async Task A_boleto_paid_after_its_stock_was_sold_is_refunded_in_full()
    {
        var sku = await NewItemAsync(stock: 2);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, "boleto-late");
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, "boleto-late", [new(sku, 2)], method: PaymentMethodKind.Boleto, cardToken: null))).Order!;
        Assert.True(await Eventually.TrueAsync(async () => await StockAsync(sku) == (2, 0), TimeSpan.FromSeconds(20)),
            "the boleto's stock hold did not lapse");
        var otherBuyer = await Cluster.Database.InsertUserAsync();
        await PaidOrderAsync(otherBuyer, "bought-meanwhile", sku, 2);

        var late = await order.ApplyPaymentEventAsync(Checkouts.Captured(created));

        Assert.Equal(TransitionOutcome.Done, late.Outcome);
        Assert.Equal(OrderStatus.Refunded, late.Order!.Status);
        Assert.Equal((PaymentStatus.Refunded, created.Totals.Total), (late.Order.Payment!.Status, late.Order.Payment.RefundedAmount));
        Assert.Equal(created.Totals.Total, RecordingGateway.RefundedFor(created.Payment!.GatewayTransactionId!));
        var stock = (await Inventory(sku).GetAsync())!;
        Assert.Equal((0, 0, 2), (stock.Available, stock.Reserved, stock.Sold));
        Assert.True(await Eventually.TrueAsync(async () => await RefundedRowsAsync(created.OrderNumber) == created.Totals.Total, TimeSpan.FromSeconds(10)),
            "the automatic refund was not projected");
    }

    private async Task<(IOrderGrain Order, OrderSnapshot Snapshot, string Sku)> DeliveredOrderAsync(string key, decimal price, int quantity)
    {
        var sku = await NewItemAsync(stock: 20, price: price);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = await PaidOrderAsync(userId, key, sku, quantity);
        var staff = await Cluster.Database.InsertUserAsync();
        await order.ShipAsync("BR000111222", staff);
        var delivered = await order.DeliverAsync(staff);
        Assert.Equal(OrderStatus.Delivered, delivered.Order!.Status);
        return (order, delivered.Order, sku);
    }

    private async Task<IOrderGrain> PaidOrderAsync(long userId, string key, string sku, int quantity)
    {
        var order = Client.Order(userId, key);
        var created = await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, key, [new(sku, quantity)]));
        Assert.Equal(CheckoutOutcome.Created, created.Outcome);
        Assert.Equal(OrderStatus.Paid, (await order.ApplyPaymentEventAsync(Checkouts.Captured(created.Order!))).Order!.Status);
        return order;
    }

    private static async Task<Guid> ReceivedReturnAsync(IOrderGrain order, string sku, long staff)
    {
        var requested = await order.RequestReturnAsync(new ReturnRequest(sku, 1, "damaged", null), staff);
        Assert.Equal(TransitionOutcome.Done, requested.Outcome);
        var returnId = requested.Order!.Returns[^1].ReturnId;
        Assert.Equal(TransitionOutcome.Done, (await order.ApproveReturnAsync(returnId, approve: true, staff)).Outcome);
        Assert.Equal(TransitionOutcome.Done, (await order.ReceiveReturnAsync(returnId, staff)).Outcome);
        return returnId;
    }

    private Task<decimal> RefundedRowsAsync(string orderNumber) => Cluster.Database.ScalarAsync<decimal>(
        "select coalesce(sum(r.amount), 0) from payment_refunds r join payments p on p.id = r.payment_id join orders o on o.id = p.order_id where o.order_number = $1",
        orderNumber);

    private Task<string> NewItemAsync(int stock, decimal price = 25m) => Cluster.NewItemAsync("MN", stock, price);

    private IInventoryItemGrain Inventory(string sku) => Client.Inventory(sku);

    private Task<(int Available, int Reserved)> StockAsync(string sku) => Client.StockAsync(sku);
}
