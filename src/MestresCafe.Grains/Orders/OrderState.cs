using MestresCafe.Grains.Projections;
using MestresCafe.Orders;
using MestresCafe.Payments;

namespace MestresCafe.Grains.Orders;

[GenerateSerializer, Alias("mc.OrderState")]
public sealed class OrderState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public long UserId { get; set; }
    [Id(2)] public string IdempotencyKey { get; set; } = "";
    [Id(3)] public string RequestHash { get; set; } = "";
    [Id(4)] public OrderStatus Status { get; set; }
    /// <summary>The answer of a refused checkout, kept so that every retry gets the same answer.</summary>
    [Id(5)] public CheckoutResult? Rejection { get; set; }
    [Id(6)] public List<OrderLine> Lines { get; set; } = [];
    [Id(7)] public OrderTotals Totals { get; set; } = new(0, 0, 0, 0, 0);
    [Id(8)] public string? CouponCode { get; set; }
    [Id(9)] public Address? ShippingAddress { get; set; }
    [Id(10)] public Address? BillingAddress { get; set; }
    [Id(11)] public string ShippingMethod { get; set; } = ShippingMethods.Pac;
    /// <summary>One reservation id for every line of the order, on each line's inventory item.</summary>
    [Id(12)] public Guid ReservationId { get; set; }
    [Id(13)] public PaymentRecord? Payment { get; set; }
    /// <summary>Gateway event ids already applied: a redelivered webhook changes nothing.</summary>
    [Id(14)] public HashSet<string> AppliedPaymentEvents { get; set; } = [];
    [Id(15)] public string? TrackingNumber { get; set; }
    [Id(16)] public DateTimeOffset CreatedAt { get; set; }
    [Id(17)] public DateTimeOffset? PaidAt { get; set; }
    [Id(18)] public DateTimeOffset? ShippedAt { get; set; }
    [Id(19)] public DateTimeOffset? DeliveredAt { get; set; }
    [Id(20)] public DateTimeOffset? CancelledAt { get; set; }
    [Id(21)] public DateTimeOffset? PaymentDueAt { get; set; }
    [Id(22)] public List<ReturnRecord> Returns { get; set; } = [];
    [Id(23)] public List<OrderEvent> Outbox { get; set; } = [];
    [Id(24)] public long Version { get; set; }
    /// <summary>Holds that still have to be settled: set when taken, cleared when committed or released.</summary>
    [Id(25)] public bool HoldsStock { get; set; }
    [Id(26)] public bool HoldsCoupon { get; set; }
    [Id(27)] public List<OrderLine> Restocked { get; set; } = [];
    /// <summary>When the stock holds lapse: before the payment window ends for a boleto; null for orders placed before it was kept.</summary>
    [Id(28)] public DateTimeOffset? StockHeldUntil { get; set; }
    /// <summary>The card's installment plan (its total is the payment's amount); null for other methods.</summary>
    [Id(29)] public InstallmentPlan? Installments { get; set; }
    /// <summary>An invoiced order's total counts against its account's credit until paid or cancelled (see OrderGrain.Invoice).</summary>
    [Id(30)] public bool HoldsCredit { get; set; }
}

[GenerateSerializer, Alias("mc.PaymentRecord")]
public sealed class PaymentRecord
{
    [Id(0)] public Guid PaymentId { get; set; }
    [Id(1)] public PaymentMethodKind Method { get; set; }
    [Id(2)] public PaymentStatus Status { get; set; }
    [Id(3)] public decimal Amount { get; set; }
    [Id(4)] public string? GatewayTransactionId { get; set; }
    [Id(5)] public string? PixCode { get; set; }
    [Id(6)] public string? BoletoLine { get; set; }
    [Id(7)] public decimal RefundedAmount { get; set; }
    [Id(8)] public DateTimeOffset? ProcessedAt { get; set; }
    [Id(9)] public string? FailureReason { get; set; }

    public PaymentInfo ToInfo() => new(PaymentId, Method, Status, Amount, GatewayTransactionId, PixCode, BoletoLine, RefundedAmount);
}

[GenerateSerializer, Alias("mc.ReturnRecord")]
public sealed class ReturnRecord
{
    [Id(0)] public Guid ReturnId { get; set; }
    [Id(1)] public string Sku { get; set; } = "";
    [Id(2)] public int Quantity { get; set; }
    [Id(3)] public string Reason { get; set; } = "other";
    [Id(4)] public string? Notes { get; set; }
    [Id(5)] public ReturnStatus Status { get; set; }
    [Id(6)] public decimal RefundAmount { get; set; }
    [Id(7)] public DateTimeOffset RequestedAt { get; set; }
    [Id(8)] public DateTimeOffset? ApprovedAt { get; set; }
    [Id(9)] public DateTimeOffset? ProcessedAt { get; set; }
    [Id(10)] public long? ProcessedBy { get; set; }

    public ReturnInfo ToInfo() => new(ReturnId, Sku, Quantity, Reason, Status, RefundAmount);
}

/// <summary>Events of an order written with its state and projected to the relational tables.</summary>
[GenerateSerializer, Alias("mc.OrderEvent")]
public abstract record OrderEvent([property: Id(0)] Guid EventId, [property: Id(1)] DateTimeOffset OccurredAt) : IOutboxEvent;

/// <summary>The order became visible: its row and lines are inserted.</summary>
[GenerateSerializer, Alias("mc.OrderPlaced")]
public sealed record OrderPlaced(Guid EventId, DateTimeOffset OccurredAt) : OrderEvent(EventId, OccurredAt);

[GenerateSerializer, Alias("mc.OrderStatusChanged")]
public sealed record OrderStatusChanged(
    Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] OrderStatus? From,
    [property: Id(1)] OrderStatus To,
    [property: Id(2)] string? Comment,
    [property: Id(3)] long? ByUserId) : OrderEvent(EventId, OccurredAt);

/// <summary>The payment row (keyed by the payment id) is created or brought up to date.</summary>
[GenerateSerializer, Alias("mc.OrderPaymentChanged")]
public sealed record OrderPaymentChanged(Guid EventId, DateTimeOffset OccurredAt) : OrderEvent(EventId, OccurredAt);

/// <summary>
/// A payment event the gateway delivered was applied: its payment_webhooks row is written with the
/// event's effects, so the webhook's answer waits for no write of its own.
/// </summary>
[GenerateSerializer, Alias("mc.OrderPaymentEventApplied")]
public sealed record OrderPaymentEventApplied(
    Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] string Provider,
    [property: Id(1)] string ExternalEventId,
    [property: Id(2)] string Type,
    [property: Id(3)] string Payload) : OrderEvent(EventId, OccurredAt);

[GenerateSerializer, Alias("mc.OrderRefunded")]
public sealed record OrderRefunded(
    Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] decimal Amount,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? GatewayRefundId,
    [property: Id(3)] long? ByUserId) : OrderEvent(EventId, OccurredAt);

/// <summary>A return (keyed by its id) is created or brought up to date.</summary>
[GenerateSerializer, Alias("mc.OrderReturnChanged")]
public sealed record OrderReturnChanged(
    Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] Guid ReturnId) : OrderEvent(EventId, OccurredAt)
{
    /// <summary>The status this step left the return in (null in events written before it was kept): what the customer is told.</summary>
    [Id(1)] public ReturnStatus? Status { get; init; }
}
