using MestresCafe.Orders;

namespace MestresCafe.Api.Orders;

/// <summary>An order as the API shows it: statuses in their relational (snake_case) names.</summary>
public sealed record OrderView(
    string OrderNumber,
    string Status,
    IReadOnlyList<OrderLineView> Lines,
    OrderTotals Totals,
    string Currency,
    string? CouponCode,
    Address ShippingAddress,
    Address? BillingAddress,
    string ShippingMethod,
    PaymentView? Payment,
    string? TrackingNumber,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? ShippedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? CancelledAt,
    DateTimeOffset? PaymentDueAt,
    IReadOnlyList<ReturnView> Returns)
{
    public static OrderView From(OrderSnapshot order) => new(
        order.OrderNumber,
        order.Status.ToSql(),
        order.Lines.Select(l => new OrderLineView(l.Sku, l.Name, l.Quantity, l.UnitPrice, l.LineTotal)).ToList(),
        order.Totals,
        OrderTotals.Currency,
        order.CouponCode,
        order.ShippingAddress,
        order.BillingAddress,
        order.ShippingMethod,
        order.Payment is { } p
            ? new PaymentView(p.PaymentId, Snake(p.Method.ToString()), Snake(p.Status.ToString()), p.Amount, p.RefundedAmount, p.GatewayTransactionId, p.PixCode, p.BoletoLine)
            : null,
        order.TrackingNumber,
        order.CreatedAt,
        order.PaidAt,
        order.ShippedAt,
        order.DeliveredAt,
        order.CancelledAt,
        order.PaymentDueAt,
        order.Returns.Select(r => new ReturnView(r.ReturnId, r.Sku, r.Quantity, r.Reason, Snake(r.Status.ToString()), r.RefundAmount)).ToList());

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

public sealed record OrderLineView(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);

public sealed record PaymentView(Guid PaymentId, string Method, string Status, decimal Amount, decimal RefundedAmount, string? TransactionId, string? PixCode, string? BoletoLine);

public sealed record ReturnView(Guid ReturnId, string Sku, int Quantity, string Reason, string Status, decimal RefundAmount);
