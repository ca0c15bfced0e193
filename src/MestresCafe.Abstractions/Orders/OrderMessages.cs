namespace MestresCafe.Orders;

[GenerateSerializer, Alias("mc.OrderLine")]
public sealed record OrderLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] long ProductId,
    [property: Id(2)] long? VariantId,
    [property: Id(3)] string Name,
    [property: Id(4)] int Quantity,
    [property: Id(5)] decimal UnitPrice,
    [property: Id(6)] decimal LineTotal,
    [property: Id(7)] IReadOnlyList<long> CategoryIds)
{
    /// <summary>The catalog's unit price when the buyer's customer group lowered <see cref="UnitPrice"/> (GroupPricing); null otherwise.</summary>
    [Id(8)] public decimal? ListUnitPrice { get; init; }

    /// <summary>The group discount (percent) that gave <see cref="UnitPrice"/>; null when none applied.</summary>
    [Id(9)] public decimal? GroupDiscountPercentage { get; init; }
}

[GenerateSerializer, Alias("mc.OrderTotals")]
public sealed record OrderTotals(
    [property: Id(0)] decimal Subtotal,
    [property: Id(1)] decimal Discount,
    [property: Id(2)] decimal Shipping,
    [property: Id(3)] decimal Tax,
    [property: Id(4)] decimal Total)
{
    public const string Currency = "BRL";

    /// <summary>The payment method's discount (Pix), taken after the coupon's <see cref="Discount"/>.</summary>
    [Id(5)] public decimal PaymentDiscount { get; init; }

    /// <summary>Interest of a card paid in installments above the interest-free ones; part of <see cref="Total"/>.</summary>
    [Id(6)] public decimal Interest { get; init; }
}

[GenerateSerializer, Alias("mc.PaymentStatus")]
public enum PaymentStatus
{
    Pending = 0,
    Authorized = 1,
    Captured = 2,
    Failed = 3,
    Cancelled = 4,
    Expired = 5,
    Refunded = 6,
    PartiallyRefunded = 7,
}

[GenerateSerializer, Alias("mc.PaymentInfo")]
public sealed record PaymentInfo(
    [property: Id(0)] Guid PaymentId,
    [property: Id(1)] PaymentMethodKind Method,
    [property: Id(2)] PaymentStatus Status,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] string? GatewayTransactionId,
    [property: Id(5)] string? PixCode,
    [property: Id(6)] string? BoletoLine,
    [property: Id(7)] decimal RefundedAmount);

[GenerateSerializer, Alias("mc.ReturnStatus")]
public enum ReturnStatus
{
    Requested = 0,
    Approved = 1,
    Rejected = 2,
    Received = 3,
    Refunded = 4,
}

[GenerateSerializer, Alias("mc.ReturnInfo")]
public sealed record ReturnInfo(
    [property: Id(0)] Guid ReturnId,
    [property: Id(1)] string Sku,
    [property: Id(2)] int Quantity,
    [property: Id(3)] string Reason,
    [property: Id(4)] ReturnStatus Status,
    [property: Id(5)] decimal RefundAmount);

[GenerateSerializer, Alias("mc.OrderSnapshot")]
public sealed record OrderSnapshot(
    [property: Id(0)] string OrderNumber,
    [property: Id(1)] long UserId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] IReadOnlyList<OrderLine> Lines,
    [property: Id(4)] OrderTotals Totals,
    [property: Id(5)] string? CouponCode,
    [property: Id(6)] Address ShippingAddress,
    [property: Id(7)] Address? BillingAddress,
    [property: Id(8)] string ShippingMethod,
    [property: Id(9)] PaymentInfo? Payment,
    [property: Id(10)] string? TrackingNumber,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset? PaidAt,
    [property: Id(13)] DateTimeOffset? ShippedAt,
    [property: Id(14)] DateTimeOffset? DeliveredAt,
    [property: Id(15)] DateTimeOffset? CancelledAt,
    [property: Id(16)] DateTimeOffset? PaymentDueAt,
    [property: Id(17)] IReadOnlyList<ReturnInfo> Returns,
    [property: Id(18)] long Version)
{
    /// <summary>The card's installment plan; null for Pix, boleto and orders placed before plans were kept.</summary>
    [Id(19)] public MestresCafe.Payments.InstallmentPlan? Installments { get; init; }
}

/// <summary>A payment gateway event as the webhook delivered it, already verified.</summary>
[GenerateSerializer, Alias("mc.PaymentEvent")]
public sealed record PaymentEvent(
    [property: Id(0)] string ExternalEventId,
    [property: Id(1)] string Type,
    [property: Id(2)] string GatewayTransactionId,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] DateTimeOffset OccurredAt)
{
    /// <summary>
    /// The delivery as the gateway sent it, recorded (payment_webhooks) by the order's projection in
    /// the same transaction as the event's effects; null for an event that came by no webhook.
    /// </summary>
    [Id(5)] public PaymentWebhookDelivery? Delivery { get; init; }
}

/// <summary>Which gateway delivered a payment event, and its body as signed.</summary>
[GenerateSerializer, Alias("mc.PaymentWebhookDelivery")]
public sealed record PaymentWebhookDelivery(
    [property: Id(0)] string Provider,
    [property: Id(1)] string Payload);

[GenerateSerializer, Alias("mc.TransitionOutcome")]
public enum TransitionOutcome
{
    Done = 0,
    NotFound = 1,
    IllegalTransition = 2,
    Invalid = 3,
    GatewayFailed = 4,
    /// <summary>The caller may not make this change (a refund of one's own order, a refund without the permission).</summary>
    Forbidden = 5,
}

[GenerateSerializer, Alias("mc.TransitionResult")]
public sealed record TransitionResult(
    [property: Id(0)] TransitionOutcome Outcome,
    [property: Id(1)] OrderSnapshot? Order,
    [property: Id(2)] string? Detail)
{
    public bool Succeeded => Outcome == TransitionOutcome.Done;

    /// <summary>The event had been applied before (a redelivery): done, and nothing changed.</summary>
    [Id(3)] public bool Repeated { get; init; }
}

[GenerateSerializer, Alias("mc.ReturnRequest")]
public sealed record ReturnRequest(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Quantity,
    [property: Id(2)] string Reason,
    [property: Id(3)] string? Notes);
