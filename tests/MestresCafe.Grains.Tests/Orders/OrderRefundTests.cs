using MestresCafe.Grains.Orders;
using MestresCafe.Orders;
using static MestresCafe.Grains.Tests.Orders.OrderTestBed;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>Each refund rule of <see cref="Order"/>: who may, when, how much, why, and what is raised.</summary>
public sealed class OrderRefundTests
{
    private readonly OrderTestBed _bed = new();

    [Fact]
    public void A_partial_refund_then_the_rest_moves_to_partially_refunded_then_refunded()
    {
        var order = _bed.Paid();
        var before = order.Outbox.Count;

        Assert.Equal(TransitionOutcome.Done, Refund(order, 100m).Outcome);
        Assert.Equal(OrderStatus.PartiallyRefunded, order.Snapshot().Status);
        Assert.Equal(PaymentStatus.PartiallyRefunded, order.Snapshot().Payment!.Status);
        Assert.Collection(order.Outbox.Skip(before),
            e => Assert.Equal((100m, "customer_request", (long?)Staff), e is OrderRefunded r ? (r.Amount, r.Reason, r.ByUserId) : default),
            e => Assert.IsType<OrderPaymentChanged>(e),
            e => Assert.Equal("Paid->PartiallyRefunded", OrderStatusMachineTests.Move(e)));

        Assert.Equal(TransitionOutcome.Done, Refund(order, 200m).Outcome);
        Assert.Equal(OrderStatus.Refunded, order.Snapshot().Status);
        Assert.Equal(Total, order.Snapshot().Payment!.RefundedAmount);
    }

    [Fact]
    public void A_second_partial_refund_changes_no_status_and_raises_no_status_event()
    {
        var order = _bed.At(OrderStatus.PartiallyRefunded);
        var before = order.Outbox.Count;

        Assert.Equal(TransitionOutcome.Done, Refund(order, 20m).Outcome);

        Assert.Equal(OrderStatus.PartiallyRefunded, order.Snapshot().Status);
        Assert.DoesNotContain(order.Outbox.Skip(before), e => e is OrderStatusChanged);
        Assert.Equal(2, order.Outbox.Skip(before).Count());
    }

    [Theory]
    [InlineData(0, "customer_request")]
    [InlineData(-1, "customer_request")]
    [InlineData(10.005, "customer_request")]
    [InlineData(300.01, "customer_request")]
    [InlineData(10, "because")]
    [InlineData(10, "")]
    public void A_refund_of_a_bad_amount_or_reason_is_invalid_and_changes_nothing(decimal amount, string reason)
    {
        var order = _bed.Paid();
        var before = order.Outbox.Count;

        Assert.Equal(TransitionOutcome.Invalid, Refund(order, amount, reason).Outcome);

        Assert.Equal(0m, order.Snapshot().Payment!.RefundedAmount);
        Assert.Equal(before, order.Outbox.Count);
    }

    [Fact]
    public void Every_reason_the_database_accepts_is_accepted()
    {
        foreach (var reason in OrderReasons.Refund)
        {
            var order = _bed.Paid();
            Assert.Equal(TransitionOutcome.Done, Refund(order, 1m, reason).Outcome);
        }
    }

    [Fact]
    public void Refunds_never_add_up_to_more_than_the_capture()
    {
        var order = _bed.Paid();
        Assert.Equal(TransitionOutcome.Done, Refund(order, 290m).Outcome);

        var refused = Refund(order, 10.01m);

        Assert.Equal(TransitionOutcome.Invalid, refused.Outcome);
        Assert.Contains("10.00", refused.Detail);
        Assert.Equal(TransitionOutcome.Done, Refund(order, 10m).Outcome);
        Assert.Equal(TransitionOutcome.IllegalTransition, Refund(order, 0.01m).Outcome);
    }

    [Theory]
    [InlineData(OrderStatus.AwaitingPayment)]
    [InlineData(OrderStatus.Cancelled)]
    public void An_order_that_was_never_captured_cannot_be_refunded(OrderStatus status)
    {
        var order = _bed.At(status);

        Assert.Equal(TransitionOutcome.IllegalTransition, Refund(order, 10m).Outcome);
        Assert.Equal(TransitionOutcome.Invalid, order.CheckRefund(10m, "order_cancelled")!.Outcome);
    }

    [Fact]
    public void Staff_cannot_refund_an_order_they_placed_themselves()
    {
        var order = _bed.Paid();

        Assert.Equal(TransitionOutcome.Forbidden, Refund(order, 10m, byUserId: Customer).Outcome);
        Assert.Equal(TransitionOutcome.Forbidden, order.CheckCancel(Customer, byCustomer: false, mayRefund: true, out _)!.Outcome);
        Assert.Equal(0m, order.Snapshot().Payment!.RefundedAmount);
    }

    [Fact]
    public void Cancelling_a_paid_order_refunds_its_capture_and_needs_the_refund_permission_unless_the_customer_cancels()
    {
        var order = _bed.Paid();

        Assert.Equal(TransitionOutcome.Forbidden, order.CheckCancel(Staff, byCustomer: false, mayRefund: false, out _)!.Outcome);
        Assert.Null(order.CheckCancel(Staff, byCustomer: false, mayRefund: true, out var staffRefund));
        Assert.Null(order.CheckCancel(Customer, byCustomer: true, mayRefund: false, out var customerRefund));
        Assert.Equal(Total, staffRefund);
        Assert.Equal(Total, customerRefund);

        var unpaid = _bed.AwaitingPayment();
        Assert.Null(unpaid.CheckCancel(Staff, byCustomer: false, mayRefund: false, out var nothing));
        Assert.Equal(0m, nothing);
    }

    [Fact]
    public void A_refund_retried_before_it_is_recorded_keeps_its_id_and_the_next_refund_gets_another()
    {
        var order = _bed.Paid();
        var first = order.RefundIdFor(10m, "customer_request");
        Assert.Equal(first, order.RefundIdFor(10m, "customer_request"));

        Assert.Equal(TransitionOutcome.Done, Refund(order, 10m).Outcome);

        Assert.NotEqual(first, order.RefundIdFor(10m, "customer_request"));
        Assert.Equal(first, Assert.Single(order.Outbox.OfType<OrderRefunded>()).EventId);
    }

    [Fact]
    public void Recording_a_refund_the_rule_does_not_allow_is_a_bug_and_throws()
    {
        var order = _bed.Paid();

        Assert.Throws<InvalidOperationException>(() => order.RecordRefund(Guid.NewGuid(), 300.01m, "other", null, Staff, moveOrder: true));
        Assert.Equal(OrderStatus.Paid, order.Snapshot().Status);
    }
}
