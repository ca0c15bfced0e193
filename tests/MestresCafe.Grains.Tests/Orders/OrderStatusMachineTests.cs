using MestresCafe.Grains.Orders;
using MestresCafe.Orders;
using static MestresCafe.Grains.Tests.Orders.OrderTestBed;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>Every status move of <see cref="Order"/>, legal and illegal, and the events each raises.</summary>
public sealed class OrderStatusMachineTests
{
    private readonly OrderTestBed _bed = new();

    /// <summary>The specification of the machine, written out once more so that a change to it is deliberate.</summary>
    private static readonly HashSet<(OrderStatus From, OrderStatus To)> Legal =
    [
        (OrderStatus.Pending, OrderStatus.AwaitingPayment), (OrderStatus.Pending, OrderStatus.Cancelled), (OrderStatus.Pending, OrderStatus.Rejected),
        // an invoiced ("faturado") order is confirmed unpaid at checkout
        (OrderStatus.Pending, OrderStatus.Processing),
        (OrderStatus.AwaitingPayment, OrderStatus.Paid), (OrderStatus.AwaitingPayment, OrderStatus.Cancelled),
        (OrderStatus.Paid, OrderStatus.Processing), (OrderStatus.Paid, OrderStatus.Shipped), (OrderStatus.Paid, OrderStatus.Cancelled),
        (OrderStatus.Paid, OrderStatus.Refunded), (OrderStatus.Paid, OrderStatus.PartiallyRefunded),
        (OrderStatus.Processing, OrderStatus.Shipped), (OrderStatus.Processing, OrderStatus.Cancelled),
        (OrderStatus.Processing, OrderStatus.Refunded), (OrderStatus.Processing, OrderStatus.PartiallyRefunded),
        (OrderStatus.Shipped, OrderStatus.Delivered), (OrderStatus.Shipped, OrderStatus.Refunded), (OrderStatus.Shipped, OrderStatus.PartiallyRefunded),
        (OrderStatus.Delivered, OrderStatus.Refunded), (OrderStatus.Delivered, OrderStatus.PartiallyRefunded),
        (OrderStatus.PartiallyRefunded, OrderStatus.Processing), (OrderStatus.PartiallyRefunded, OrderStatus.Shipped),
        (OrderStatus.PartiallyRefunded, OrderStatus.Delivered), (OrderStatus.PartiallyRefunded, OrderStatus.Refunded),
        (OrderStatus.PartiallyRefunded, OrderStatus.PartiallyRefunded),
        (OrderStatus.Cancelled, OrderStatus.Refunded),
    ];

    [Fact]
    public void Every_pair_of_statuses_is_legal_exactly_when_the_machine_allows_it()
    {
        foreach (var from in Enum.GetValues<OrderStatus>())
        {
            foreach (var to in Enum.GetValues<OrderStatus>())
            {
                Assert.True(Legal.Contains((from, to)) == OrderRules.CanMove(from, to), $"{from} -> {to}");
            }
        }
    }

    public static TheoryData<OrderStatus, bool> Processing => new()
    {
        { OrderStatus.AwaitingPayment, false }, { OrderStatus.Paid, true }, { OrderStatus.Processing, false }, { OrderStatus.Shipped, false },
        { OrderStatus.Delivered, false }, { OrderStatus.PartiallyRefunded, true }, { OrderStatus.Refunded, false }, { OrderStatus.Cancelled, false },
    };

    public static TheoryData<OrderStatus, bool> Shipping => new()
    {
        { OrderStatus.AwaitingPayment, false }, { OrderStatus.Paid, true }, { OrderStatus.Processing, true }, { OrderStatus.Shipped, false },
        { OrderStatus.Delivered, false }, { OrderStatus.PartiallyRefunded, true }, { OrderStatus.Refunded, false }, { OrderStatus.Cancelled, false },
    };

    /// <summary>Delivery needs a shipment: a paid order that never shipped cannot be delivered.</summary>
    public static TheoryData<OrderStatus, bool> Delivery => new()
    {
        { OrderStatus.AwaitingPayment, false }, { OrderStatus.Paid, false }, { OrderStatus.Processing, false }, { OrderStatus.Shipped, true },
        { OrderStatus.Delivered, false }, { OrderStatus.PartiallyRefunded, false }, { OrderStatus.Refunded, false }, { OrderStatus.Cancelled, false },
    };

    /// <summary>Staff with the refund permission; a partially refunded, shipped or delivered order is refunded, not cancelled.</summary>
    public static TheoryData<OrderStatus, bool> StaffCancel => new()
    {
        { OrderStatus.AwaitingPayment, true }, { OrderStatus.Paid, true }, { OrderStatus.Processing, true }, { OrderStatus.Shipped, false },
        { OrderStatus.Delivered, false }, { OrderStatus.PartiallyRefunded, false }, { OrderStatus.Refunded, false }, { OrderStatus.Cancelled, false },
    };

    /// <summary>A customer may cancel until the order is being prepared.</summary>
    public static TheoryData<OrderStatus, bool> CustomerCancel => new()
    {
        { OrderStatus.AwaitingPayment, true }, { OrderStatus.Paid, true }, { OrderStatus.Processing, false }, { OrderStatus.Shipped, false },
        { OrderStatus.Delivered, false }, { OrderStatus.PartiallyRefunded, false }, { OrderStatus.Refunded, false }, { OrderStatus.Cancelled, false },
    };

    [Theory, MemberData(nameof(Processing))]
    public void Start_processing(OrderStatus from, bool legal) => AssertMove(from, legal, OrderStatus.Processing, o => o.StartProcessing(Staff));

    [Theory, MemberData(nameof(Shipping))]
    public void Ship(OrderStatus from, bool legal) => AssertMove(from, legal, OrderStatus.Shipped, o => o.Ship("BR123", Staff));

    [Theory, MemberData(nameof(Delivery))]
    public void Deliver(OrderStatus from, bool legal) => AssertMove(from, legal, OrderStatus.Delivered, o => o.Deliver(Staff));

    [Theory, MemberData(nameof(StaffCancel))]
    public void Staff_cancel(OrderStatus from, bool legal) =>
        AssertMove(from, legal, OrderStatus.Cancelled, o => o.CheckCancel(Staff, byCustomer: false, mayRefund: true, out _) ?? CancelNow(o, Staff));

    [Theory, MemberData(nameof(CustomerCancel))]
    public void Customer_cancel(OrderStatus from, bool legal) =>
        AssertMove(from, legal, OrderStatus.Cancelled, o => o.CheckCancel(Customer, byCustomer: true, mayRefund: false, out _) ?? CancelNow(o, Customer));

    [Fact]
    public void A_move_on_an_order_that_does_not_exist_is_not_found()
    {
        var order = _bed.Pending();

        Assert.Equal(TransitionOutcome.NotFound, order.StartProcessing(Staff).Outcome);
        Assert.Equal(TransitionOutcome.NotFound, order.CheckCancel(Staff, false, true, out _)!.Outcome);
        Assert.Equal(TransitionOutcome.NotFound, Refund(order, 10m).Outcome);
        Assert.Empty(order.Outbox);
    }

    [Fact]
    public void A_tracking_number_is_required_and_kept_trimmed()
    {
        var order = _bed.Paid();

        Assert.Equal(TransitionOutcome.Invalid, order.Ship("  ", Staff).Outcome);
        Assert.Equal(TransitionOutcome.Invalid, order.Ship(new string('x', 65), Staff).Outcome);
        Assert.Equal(OrderStatus.Paid, order.Snapshot().Status);

        Assert.Equal(TransitionOutcome.Done, order.Ship(" BR123 ", Staff).Outcome);
        Assert.Equal("BR123", order.Snapshot().TrackingNumber);
        Assert.Equal(_bed.Clock.GetUtcNow(), order.Snapshot().ShippedAt);
    }

    [Fact]
    public void Checkout_raises_placed_then_pending_then_awaiting_payment_and_the_payment_row()
    {
        var order = _bed.AwaitingPayment();

        Assert.Collection(order.Outbox,
            e => Assert.IsType<OrderPlaced>(e),
            e => Assert.Equal("->Pending", Move(e)),
            e => Assert.Equal("Pending->AwaitingPayment", Move(e)),
            e => Assert.IsType<OrderPaymentChanged>(e));
        Assert.Equal(4, order.Snapshot().Version);
        Assert.Equal(Total, order.Snapshot().Payment!.Amount);
        Assert.Equal(PaymentStatus.Pending, order.Snapshot().Payment!.Status);
        Assert.Equal(_bed.Clock.GetUtcNow() + PaymentWindow, order.Snapshot().PaymentDueAt);
    }

    [Fact]
    public void A_free_shipping_coupon_waives_shipping_up_to_its_cap_and_the_discount_comes_off_the_subtotal()
    {
        var order = _bed.AwaitingPayment(new MestresCafe.Coupons.CouponHoldResult(MestresCafe.Coupons.CouponHoldOutcome.Held, 120m, true) { ShippingDiscount = 15m });

        // 300 - 120 = 180 is under the free PAC threshold (199): PAC is 19.90, the coupon waives 15 of it.
        Assert.Equal(new OrderTotals(300m, 120m, 4.90m, 0m, 184.90m), order.Snapshot().Totals);
    }

    [Fact]
    public void A_retried_checkout_gets_the_same_answer_and_another_body_under_the_same_key_is_refused()
    {
        var pending = _bed.Pending();
        Assert.Null(pending.Replay(Command()));
        Assert.Equal(CheckoutOutcome.KeyReusedWithAnotherBody, pending.Replay(Command("other"))!.Outcome);

        var placed = _bed.AwaitingPayment();
        Assert.Equal(CheckoutOutcome.Created, placed.Replay(Command())!.Outcome);
        Assert.Equal(CheckoutOutcome.KeyReusedWithAnotherBody, placed.Replay(Command("other"))!.Outcome);

        var rejected = _bed.Pending();
        var refusal = rejected.Reject(Command(), CheckoutOutcome.InsufficientStock, [], "Sem estoque.");
        Assert.Same(refusal, rejected.Replay(Command()));
        Assert.Equal(OrderStatus.Rejected, rejected.Snapshot().Status);
    }

    private void AssertMove(OrderStatus from, bool legal, OrderStatus target, Func<Order, TransitionResult> move)
    {
        var order = _bed.At(from);
        Assert.Equal(from, order.Snapshot().Status);
        var before = order.Outbox.Count;

        var result = move(order);

        if (legal)
        {
            Assert.Equal(TransitionOutcome.Done, result.Outcome);
            Assert.Equal(target, order.Snapshot().Status);
            Assert.Contains(order.Outbox.Skip(before), e => Move(e) == $"{from}->{target}");
        }
        else
        {
            Assert.NotEqual(TransitionOutcome.Done, result.Outcome);
            Assert.Equal(from, order.Snapshot().Status);
            Assert.Equal(before, order.Outbox.Count);
        }
    }

    private static TransitionResult CancelNow(Order order, long byUserId)
    {
        // The grain refunds a paid order before cancelling it; here the gateway agrees at once.
        if (order.Snapshot().Payment!.Status == PaymentStatus.Captured)
        {
            order.RecordRefund(order.RefundIdFor(Total, "order_cancelled"), Total, "order_cancelled", "gw", byUserId, moveOrder: false);
        }
        else
        {
            order.CallOffPayment();
        }

        order.Cancel("cancelado", byUserId);
        return order.Done();
    }

    /// <summary>A status event as "From->To"; null for any other event.</summary>
    internal static string? Move(OrderEvent e) => e is OrderStatusChanged c ? $"{c.From}->{c.To}" : null;
}
