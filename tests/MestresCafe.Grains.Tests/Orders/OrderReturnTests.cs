using MestresCafe.Grains.Orders;
using MestresCafe.Orders;
using static MestresCafe.Grains.Tests.Orders.OrderTestBed;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>Each return rule of <see cref="Order"/>: the window, the quantities, the reasons, the steps and the refund.</summary>
public sealed class OrderReturnTests
{
    private readonly OrderTestBed _bed = new();

    private static ReturnRequest Request(int quantity = 1, string sku = "CAFE-1", string reason = "damaged") => new(sku, quantity, reason, null);

    [Theory]
    [InlineData(OrderStatus.AwaitingPayment)]
    [InlineData(OrderStatus.Paid)]
    [InlineData(OrderStatus.Shipped)]
    [InlineData(OrderStatus.Cancelled)]
    public void Only_a_delivered_order_can_be_returned(OrderStatus status)
    {
        var order = _bed.At(status);

        Assert.Equal(TransitionOutcome.IllegalTransition, order.RequestReturn(Request()).Outcome);
        Assert.Empty(order.Snapshot().Returns);
    }

    [Fact]
    public void A_return_is_accepted_up_to_thirty_days_after_delivery_and_not_after()
    {
        var order = _bed.At(OrderStatus.Delivered);

        _bed.Clock.Advance(OrderPolicy.Default.ReturnWindow);
        Assert.Equal(TransitionOutcome.Done, order.RequestReturn(Request()).Outcome);

        _bed.Clock.Advance(TimeSpan.FromSeconds(1));
        var late = order.RequestReturn(Request());
        Assert.Equal(TransitionOutcome.IllegalTransition, late.Outcome);
        Assert.Single(order.Snapshot().Returns);
    }

    [Fact]
    public void The_return_window_is_the_one_in_force_when_the_customer_asks()
    {
        var order = _bed.At(OrderStatus.Delivered);
        _bed.Clock.Advance(TimeSpan.FromDays(10));

        _bed.Policy = OrderPolicy.Default with { ReturnWindow = TimeSpan.FromDays(7) };
        var late = order.RequestReturn(Request());
        Assert.Equal(TransitionOutcome.IllegalTransition, late.Outcome);
        Assert.Contains("7-day", late.Detail, StringComparison.Ordinal);

        _bed.Policy = OrderPolicy.Default with { ReturnWindow = TimeSpan.FromDays(14) };
        Assert.Equal(TransitionOutcome.Done, order.RequestReturn(Request()).Outcome);
    }

    [Fact]
    public void Shipping_is_priced_at_the_figures_in_force_at_checkout()
    {
        _bed.Policy = OrderPolicy.Default with { Shipping = new ShippingPrices { FreePacFrom = 500m, Pac = 25m } };

        var order = _bed.Pending();

        Assert.Equal(25m, order.Snapshot().Totals.Shipping);
    }

    [Theory]
    [InlineData("because")]
    [InlineData("DAMAGED")]
    [InlineData("")]
    public void A_return_reason_the_database_does_not_accept_is_refused_before_it_reaches_the_projection(string reason)
    {
        var order = _bed.At(OrderStatus.Delivered);
        var before = order.Outbox.Count;

        var result = order.RequestReturn(Request(reason: reason));

        Assert.Equal(TransitionOutcome.Invalid, result.Outcome);
        Assert.Empty(order.Snapshot().Returns);
        Assert.Equal(before, order.Outbox.Count);
    }

    [Fact]
    public void Every_return_reason_the_database_accepts_is_accepted()
    {
        foreach (var reason in OrderReasons.Return)
        {
            Assert.Equal(TransitionOutcome.Done, _bed.At(OrderStatus.Delivered).RequestReturn(Request(reason: reason)).Outcome);
        }
    }

    [Fact]
    public void Returns_of_a_line_add_up_to_its_quantity_and_a_rejected_one_frees_its_units()
    {
        var order = _bed.At(OrderStatus.Delivered);

        Assert.Equal(TransitionOutcome.Invalid, order.RequestReturn(Request(quantity: 3)).Outcome);
        Assert.Equal(TransitionOutcome.Invalid, order.RequestReturn(Request(quantity: 0)).Outcome);
        Assert.Equal(TransitionOutcome.Invalid, order.RequestReturn(Request(sku: "NOT-IN-ORDER")).Outcome);
        Assert.Equal(TransitionOutcome.Done, order.RequestReturn(Request(quantity: 2)).Outcome);
        Assert.Equal(TransitionOutcome.Invalid, order.RequestReturn(Request(quantity: 1)).Outcome);

        var first = order.Snapshot().Returns[0].ReturnId;
        Assert.Null(order.FindReturn(first, ReturnStatus.Requested, out var record));
        order.DecideReturn(record, approve: false);
        order.CompleteReturnStep(record, Staff);

        Assert.Equal(ReturnStatus.Rejected, order.Snapshot().Returns[0].Status);
        Assert.Equal(TransitionOutcome.Done, order.RequestReturn(Request(quantity: 1)).Outcome);
    }

    [Fact]
    public void A_return_goes_requested_approved_received_refunded_and_each_step_raises_its_event()
    {
        var order = _bed.At(OrderStatus.Delivered);
        Assert.Equal(TransitionOutcome.Done, order.RequestReturn(Request(quantity: 2)).Outcome);
        var returnId = order.Snapshot().Returns[0].ReturnId;
        Assert.Equal(100m, order.Snapshot().Returns[0].RefundAmount);

        Assert.Equal(TransitionOutcome.IllegalTransition, order.FindReturn(returnId, ReturnStatus.Approved, out _)!.Outcome);
        Assert.Equal(TransitionOutcome.NotFound, order.FindReturn(Guid.NewGuid(), ReturnStatus.Requested, out _)!.Outcome);

        Step(order, returnId, ReturnStatus.Requested, r => order.DecideReturn(r, approve: true));
        Assert.Equal("CAFE-1", Step(order, returnId, ReturnStatus.Approved, order.ReceiveReturn).Sku);
        Assert.Null(order.CheckReturnRefund(Staff));
        Step(order, returnId, ReturnStatus.Received, r =>
        {
            var amount = order.ReturnRefundAmount(r);
            Assert.Null(order.CheckRefund(amount, "return"));
            order.RecordRefund(order.RefundIdFor(amount, "return"), amount, "return", "gw", Staff, moveOrder: true);
            order.ReturnRefunded(r, amount);
        });

        var done = Assert.Single(order.Snapshot().Returns);
        Assert.Equal(ReturnStatus.Refunded, done.Status);
        Assert.Equal(OrderStatus.PartiallyRefunded, order.Snapshot().Status);
        Assert.Equal(100m, order.Snapshot().Payment!.RefundedAmount);
        Assert.Equal(4, order.Outbox.OfType<OrderReturnChanged>().Count(e => e.ReturnId == returnId));
    }

    [Fact]
    public void A_return_after_a_partial_refund_refunds_only_what_is_left_of_the_capture()
    {
        var order = _bed.At(OrderStatus.Delivered);
        Assert.Equal(TransitionOutcome.Done, Refund(order, 250m).Outcome);
        Assert.Equal(TransitionOutcome.Done, order.RequestReturn(Request(quantity: 2)).Outcome);
        Assert.Null(order.FindReturn(order.Snapshot().Returns[0].ReturnId, ReturnStatus.Requested, out var record));

        Assert.Equal(50m, order.ReturnRefundAmount(record));
    }

    [Fact]
    public void Staff_cannot_refund_a_return_of_an_order_they_placed_themselves()
    {
        var order = _bed.At(OrderStatus.Delivered);

        Assert.Equal(TransitionOutcome.Forbidden, order.CheckReturnRefund(Customer)!.Outcome);
    }

    private OrderLine Step(Order order, Guid returnId, ReturnStatus expected, Action<ReturnRecord> apply)
    {
        var before = order.Outbox.Count;
        Assert.Null(order.FindReturn(returnId, expected, out var record));
        apply(record);
        order.CompleteReturnStep(record, Staff);
        Assert.Equal(_bed.Clock.GetUtcNow(), record.ProcessedAt);
        Assert.Equal(Staff, record.ProcessedBy);
        Assert.IsType<OrderReturnChanged>(order.Outbox[^1]);
        Assert.True(order.Outbox.Count > before);
        return order.ReturnedLine(record);
    }
}
