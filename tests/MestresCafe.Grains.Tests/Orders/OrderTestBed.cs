using MestresCafe.Coupons;
using MestresCafe.Data.Pricing;
using MestresCafe.Grains.Orders;
using MestresCafe.Grains.Payments;
using MestresCafe.Orders;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>
/// Builds <see cref="Order"/>s in each status through the domain class's own moves, with no
/// cluster: two bags of coffee at R$ 50 and a moka pot at R$ 200, PAC (free from R$ 199), paid by Pix.
/// </summary>
internal sealed class OrderTestBed
{
    public const long Customer = 41;
    public const long Staff = 7;
    public const string Transaction = "tx-1";
    public const decimal Total = 300m;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public static readonly TimeSpan PaymentWindow = TimeSpan.FromMinutes(30);

    /// <summary>The live settings the orders read at each decision; a test may change them midway.</summary>
    public OrderPolicy Policy { get; set; } = OrderPolicy.Default;

    private static readonly Dictionary<string, PricedItem> Priced = new()
    {
        ["CAFE-1"] = new PricedItem("CAFE-1", 1, null, "Café Mantiqueira 250 g", 50m, true, true, 0.25m, [10]),
        ["MOKA-1"] = new PricedItem("MOKA-1", 2, null, "Cafeteira italiana", 200m, true, true, 1m, [20]),
    };

    /// <summary>What the order grain would read from the customer's cart.</summary>
    public static readonly IReadOnlyList<CheckoutLine> CartLines = [new CheckoutLine("CAFE-1", 2), new CheckoutLine("MOKA-1", 1)];

    public static CheckoutCommand Command(string requestHash = "hash-1") => new(
        Customer, "key-1", requestHash, null,
        PaymentMethodKind.Pix, null, new Address("Ana", "Rua A", "1", null, "Centro", "Poços de Caldas", "MG", "37701-000", null), null,
        ShippingMethods.Pac, "u:41");

    /// <summary>Checkout recorded, holds taken, not yet charged.</summary>
    public Order Pending(CouponHoldResult? coupon = null)
    {
        var order = new Order(new OrderState(), "MC-1", Clock, () => Policy);
        var command = Command();
        order.Begin(command, CartLines, Priced, PaymentWindow);
        order.Price(anythingToShip: true, coupon);
        return order;
    }

    public Order AwaitingPayment(CouponHoldResult? coupon = null)
    {
        var order = Pending(coupon);
        order.Place(Command(), new GatewayCharge(GatewayChargeStatus.Pending, Transaction, "pix-code", null, null));
        return order;
    }

    public static PaymentEvent Event(string type, decimal amount = Total, string id = "evt-1", string transaction = Transaction) =>
        new(id, type, transaction, amount, new DateTimeOffset(2026, 12, 1, 12, 5, 0, TimeSpan.Zero));

    public Order Paid()
    {
        var order = AwaitingPayment();
        Assert.Equal(PaymentStepKind.Capture, order.Accept(Event(PaymentEventTypes.Captured)).Kind);
        order.MarkPaid(Event(PaymentEventTypes.Captured));
        return order;
    }

    public Order At(OrderStatus status)
    {
        switch (status)
        {
            case OrderStatus.AwaitingPayment:
                return AwaitingPayment();
            case OrderStatus.Paid:
                return Paid();
            case OrderStatus.Processing:
                return Done(Paid(), o => o.StartProcessing(Staff));
            case OrderStatus.Shipped:
                return Done(Paid(), o => o.Ship("BR123", Staff));
            case OrderStatus.Delivered:
                return Done(At(OrderStatus.Shipped), o => o.Deliver(Staff));
            case OrderStatus.PartiallyRefunded:
                return Done(Paid(), o => Refund(o, 10m));
            case OrderStatus.Refunded:
                return Done(Paid(), o => Refund(o, Total));
            case OrderStatus.Cancelled:
                var cancelled = AwaitingPayment();
                cancelled.CallOffPayment();
                cancelled.Cancel("cliente desistiu", Customer);
                return cancelled;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "Not an order that exists.");
        }
    }

    /// <summary>A staff refund as the grain makes it: the checks, the gateway (here: agreed), the record.</summary>
    public static TransitionResult Refund(Order order, decimal amount, string reason = "customer_request", long byUserId = Staff)
    {
        if (order.CheckStaffRefund(amount, reason, byUserId) is { } refused)
        {
            return refused;
        }

        order.RecordRefund(order.RefundIdFor(amount, reason), amount, reason, "gw-refund", byUserId, moveOrder: true);
        return order.Done();
    }

    private static Order Done(Order order, Func<Order, TransitionResult> move)
    {
        Assert.Equal(TransitionOutcome.Done, move(order).Outcome);
        return order;
    }
}
