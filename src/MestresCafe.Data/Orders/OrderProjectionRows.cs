using MestresCafe.Data.Payments;

namespace MestresCafe.Data.Orders;

/// <summary>
/// What one run of an order grain's outbox writes: the order's latest figures always, and the rows
/// its events add. Enums are already spelled as SQL stores them; JSON members are serialized.
/// </summary>
public sealed record OrderProjectionRows(string OrderNumber, OrderFiguresRow Figures)
{
    /// <summary>Set by the run that holds the order's placement: the orders row and its items.</summary>
    public PlacedOrderRow? Placed { get; init; }

    public IReadOnlyList<OrderStatusHistoryRow> History { get; init; } = [];

    /// <summary>Set when the payment changed or was refunded in this run.</summary>
    public PaymentRow? Payment { get; init; }

    public IReadOnlyList<ReturnRow> Returns { get; init; } = [];

    public IReadOnlyList<PaymentRefundRow> Refunds { get; init; } = [];

    /// <summary>The customer's e-mails these events cause, queued in the same transaction (keyed by event and template).</summary>
    public IReadOnlyList<Mail.OutboundMessageRequest> Messages { get; init; } = [];

    /// <summary>Course enrolments the order's courses gain (paid) or lose (refunded, cancelled after payment), in event order.</summary>
    public IReadOnlyList<CourseAccessChange> CourseAccess { get; init; } = [];

    /// <summary>The gateway deliveries whose events the run applied, recorded as processed.</summary>
    public IReadOnlyList<AppliedPaymentWebhook> Webhooks { get; init; } = [];
}

/// <summary>Grant or take back the enrolments in every course sold by the order's items, for its buyer.</summary>
public sealed record CourseAccessChange(long UserId, bool Grant);

/// <summary>The columns of orders that later events move forward, written only by a newer state version.</summary>
public sealed record OrderFiguresRow(
    string Status, string? TrackingNumber, DateTimeOffset? ShippedAt, DateTimeOffset? DeliveredAt, DateTimeOffset? PaidAt,
    DateTimeOffset? CancelledAt, long StateVersion);

public sealed record PlacedOrderRow(
    long UserId, decimal Subtotal, decimal Tax, decimal Shipping, decimal Discount, decimal Total,
    string? BillingAddressJson, string? ShippingAddressJson, DateTimeOffset CreatedAt, string PaymentMethod,
    string IdempotencyKey, string ShippingMethod, IReadOnlyList<OrderItemRow> Items)
{
    /// <summary>When the payment window ends: the order sweeper finds unpaid orders past it (<see cref="DueOrderQuery"/>).</summary>
    public DateTimeOffset? PaymentDueAt { get; init; }

    /// <summary>The payment method's discount (Pix), its interest (card installments) and the installment count.</summary>
    public decimal PaymentDiscount { get; init; }

    public decimal Interest { get; init; }

    public int Installments { get; init; } = 1;
}

public sealed record OrderItemRow(long ProductId, long? VariantId, int Quantity, decimal UnitPrice, decimal TotalPrice, string ProductDataJson);

public sealed record OrderStatusHistoryRow(Guid EventId, string Status, string? PreviousStatus, string? Comment, long? ChangedBy, DateTimeOffset ChangedAt);

public sealed record PaymentRow(
    Guid PaymentId, string Method, string Status, string? GatewayTransactionId, decimal Amount, string GatewayResponseJson, DateTimeOffset? ProcessedAt);

public sealed record PaymentRefundRow(
    Guid EventId, Guid PaymentId, decimal Amount, string Reason, string? GatewayRefundId, DateTimeOffset ProcessedAt, long? ProcessedBy);

public sealed record ReturnRow(
    Guid ReturnId, long ProductId, long? VariantId, string Reason, string Status, int Quantity, decimal RefundAmount, string? Notes,
    DateTimeOffset RequestedAt, DateTimeOffset? ApprovedAt, DateTimeOffset? ProcessedAt, long? ProcessedBy);
