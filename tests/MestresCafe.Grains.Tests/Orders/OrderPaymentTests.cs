using MestresCafe.Grains.Orders;
using MestresCafe.Orders;
using static MestresCafe.Grains.Tests.Orders.OrderTestBed;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>Payment events (captured, failed, expired; stale, repeated and mismatched ones) and expiry of <see cref="Order"/>.</summary>
public sealed class OrderPaymentTests
{
    private readonly OrderTestBed _bed = new();

    [Fact]
    public void A_capture_of_the_order_amount_pays_the_order()
    {
        var order = _bed.AwaitingPayment();
        var before = order.Outbox.Count;
        var captured = Event(PaymentEventTypes.Captured);

        Assert.Equal(PaymentStepKind.Capture, order.Accept(captured).Kind);
        order.MarkPaid(captured);

        var snapshot = order.Snapshot();
        Assert.Equal(OrderStatus.Paid, snapshot.Status);
        Assert.Equal(PaymentStatus.Captured, snapshot.Payment!.Status);
        Assert.Equal(_bed.Clock.GetUtcNow(), snapshot.PaidAt);
        Assert.Collection(order.Outbox.Skip(before),
            e => Assert.Equal("AwaitingPayment->Paid", OrderStatusMachineTests.Move(e)),
            e => Assert.IsType<OrderPaymentChanged>(e));
    }

    [Fact]
    public void A_redelivered_event_changes_nothing()
    {
        var order = _bed.Paid();
        var before = order.Outbox.Count;

        var again = order.Accept(Event(PaymentEventTypes.Captured));

        Assert.Equal(PaymentStepKind.AlreadyApplied, again.Kind);
        Assert.Equal(TransitionOutcome.Done, again.Answer!.Outcome);
        Assert.Equal(before, order.Outbox.Count);
    }

    [Fact]
    public void An_event_for_another_transaction_is_refused_and_not_recorded_as_applied()
    {
        var order = _bed.AwaitingPayment();

        var foreign = order.Accept(Event(PaymentEventTypes.Captured, transaction: "tx-other"));

        Assert.Equal(PaymentStepKind.OtherTransaction, foreign.Kind);
        Assert.Equal(TransitionOutcome.Invalid, foreign.Answer!.Outcome);
        Assert.Equal(OrderStatus.AwaitingPayment, order.Snapshot().Status);
        // The same event id with the right transaction is still applied: the refusal did not consume it.
        Assert.Equal(PaymentStepKind.Capture, order.Accept(Event(PaymentEventTypes.Captured)).Kind);
    }

    [Theory]
    [InlineData(299.99)]
    [InlineData(0.01)]
    [InlineData(300.01)]
    public void A_capture_of_another_amount_is_refused_and_the_order_stays_unpaid(decimal amount)
    {
        var order = _bed.AwaitingPayment();
        var before = order.Outbox.Count;

        var step = order.Accept(Event(PaymentEventTypes.Captured, amount));

        Assert.Equal(PaymentStepKind.AmountMismatch, step.Kind);
        Assert.Equal(TransitionOutcome.Invalid, step.Answer!.Outcome);
        Assert.Equal(OrderStatus.AwaitingPayment, order.Snapshot().Status);
        Assert.Equal(before, order.Outbox.Count);
    }

    [Fact]
    public void The_first_event_names_the_transaction_when_the_gateway_did_not_answer_at_checkout()
    {
        var order = new Order(new OrderState(), "MC-2", _bed.Clock);
        var command = Command();
        order.Begin(command, CartLines, new Dictionary<string, MestresCafe.Data.Pricing.PricedItem>
        {
            ["CAFE-1"] = new("CAFE-1", 1, null, "Café", 50m, true, true, 0.25m, []),
            ["MOKA-1"] = new("MOKA-1", 2, null, "Moka", 200m, true, true, 1m, []),
        }, PaymentWindow);
        order.Price(true, null);
        order.Place(command, new MestresCafe.Grains.Payments.GatewayCharge(MestresCafe.Grains.Payments.GatewayChargeStatus.TimedOut, null, null, null, null));

        Assert.Equal(PaymentStepKind.Fail, order.Accept(Event(PaymentEventTypes.Failed, transaction: "tx-late")).Kind);
        Assert.Equal("tx-late", order.Snapshot().Payment!.GatewayTransactionId);
        Assert.Equal(PaymentStepKind.OtherTransaction, order.Accept(Event(PaymentEventTypes.Captured, id: "evt-2")).Kind);
    }

    [Theory]
    [InlineData(PaymentEventTypes.Failed, PaymentStatus.Failed)]
    [InlineData(PaymentEventTypes.Expired, PaymentStatus.Expired)]
    public void A_failed_or_expired_payment_cancels_an_unpaid_order(string type, PaymentStatus paymentStatus)
    {
        var order = _bed.AwaitingPayment();
        var paymentEvent = Event(type);

        Assert.Equal(PaymentStepKind.Fail, order.Accept(paymentEvent).Kind);
        order.FailPayment(paymentEvent);

        Assert.Equal(OrderStatus.Cancelled, order.Snapshot().Status);
        Assert.Equal(paymentStatus, order.Snapshot().Payment!.Status);
        Assert.Equal(_bed.Clock.GetUtcNow(), order.Snapshot().CancelledAt);
        Assert.IsType<OrderPaymentChanged>(order.Outbox[^1]);
    }

    [Theory]
    [InlineData(PaymentEventTypes.Failed)]
    [InlineData(PaymentEventTypes.Expired)]
    [InlineData("payment.unknown")]
    public void A_stale_event_after_the_capture_is_recorded_and_ignored(string type)
    {
        var order = _bed.Paid();
        var before = order.Outbox.Count;

        Assert.Equal(PaymentStepKind.Stale, order.Accept(Event(type, id: "evt-late")).Kind);

        Assert.Equal(OrderStatus.Paid, order.Snapshot().Status);
        Assert.Equal(before, order.Outbox.Count);
        Assert.Equal(PaymentStepKind.AlreadyApplied, order.Accept(Event(type, id: "evt-late")).Kind);
    }

    [Fact]
    public void A_capture_after_the_order_was_cancelled_is_refunded_once()
    {
        var order = _bed.At(OrderStatus.Cancelled);
        var late = Event(PaymentEventTypes.Captured, id: "evt-late");

        Assert.Equal(PaymentStepKind.CaptureAfterCancel, order.Accept(late).Kind);
        order.RecordCapture(late);
        Assert.Equal(Total, RefundRule.Refundable(PaymentOf(order)));
        order.RecordRefund(order.RefundIdFor(Total, "order_cancelled"), Total, "order_cancelled", "gw", null, moveOrder: true);

        Assert.Equal(OrderStatus.Refunded, order.Snapshot().Status);
        // Another capture of the same payment is stale: the money already went back.
        Assert.Equal(PaymentStepKind.Stale, order.Accept(Event(PaymentEventTypes.Captured, id: "evt-later")).Kind);
    }

    [Fact]
    public void A_capture_whose_stock_was_sold_meanwhile_cancels_the_order_and_leaves_the_capture_to_refund()
    {
        var order = _bed.AwaitingPayment();
        var captured = Event(PaymentEventTypes.Captured);
        Assert.Equal(PaymentStepKind.Capture, order.Accept(captured).Kind);

        order.CancelUnfulfillable(captured);

        Assert.Equal(OrderStatus.Cancelled, order.Snapshot().Status);
        Assert.Equal(PaymentStatus.Captured, order.Snapshot().Payment!.Status);
        Assert.Null(order.CheckRefund(Total, "order_cancelled"));
        Assert.Equal("AwaitingPayment->Cancelled", OrderStatusMachineTests.Move(order.Outbox[^1]));
    }

    [Fact]
    public void An_event_for_an_order_that_does_not_exist_is_not_found()
    {
        var order = _bed.Pending();

        var step = order.Accept(Event(PaymentEventTypes.Captured));

        Assert.Equal(PaymentStepKind.Refused, step.Kind);
        Assert.Equal(TransitionOutcome.NotFound, step.Answer!.Outcome);
    }

    [Fact]
    public void An_unpaid_order_is_due_when_its_payment_window_ends_and_expiry_cancels_it()
    {
        var order = _bed.AwaitingPayment();

        _bed.Clock.Advance(PaymentWindow - TimeSpan.FromSeconds(1));
        Assert.False(order.PaymentIsDue);
        _bed.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(order.PaymentIsDue);

        order.Expire();

        Assert.Equal(OrderStatus.Cancelled, order.Snapshot().Status);
        Assert.Equal(PaymentStatus.Expired, order.Snapshot().Payment!.Status);
        Assert.False(order.PaymentIsDue);
        Assert.Contains(order.Outbox, e => OrderStatusMachineTests.Move(e) == "AwaitingPayment->Cancelled");
    }

    [Fact]
    public void A_paid_order_is_never_due()
    {
        var order = _bed.Paid();

        _bed.Clock.Advance(TimeSpan.FromDays(10));

        Assert.False(order.PaymentIsDue);
    }

    private static PaymentRecord PaymentOf(Order order)
    {
        var info = order.Snapshot().Payment!;
        return new PaymentRecord { Amount = info.Amount, RefundedAmount = info.RefundedAmount, Status = info.Status };
    }
}
