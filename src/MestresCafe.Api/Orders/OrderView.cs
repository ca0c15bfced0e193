using MestresCafe.Orders;
using MestresCafe.Payments;

namespace MestresCafe.Api.Orders;

/// <summary>
/// An order as the API shows it. Statuses and the payment method are enums, written by the API's
/// JSON enum converter in their snake_case names, the same the relational tables use.
/// </summary>
public sealed record OrderView(
    string OrderNumber,
    OrderStatus Status,
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
    /// <summary>What the payment method did to the total, each a line of its own: the Pix discount (negative), card interest.</summary>
    public IReadOnlyList<OrderAdjustmentView> Adjustments { get; init; } = [];

    /// <summary>The card's installment plan: the value of each, the first carrying the cents left over, and the total with interest.</summary>
    public InstallmentPlan? Installments { get; init; }

    public static OrderView From(OrderSnapshot order) => new(
        order.OrderNumber,
        order.Status,
        order.Lines.Select(l => new OrderLineView(l.Sku, l.Name, l.Quantity, l.UnitPrice, l.LineTotal, l.ListUnitPrice, l.GroupDiscountPercentage)).ToList(),
        order.Totals,
        OrderTotals.Currency,
        order.CouponCode,
        order.ShippingAddress,
        order.BillingAddress,
        order.ShippingMethod,
        order.Payment is { } p
            ? new PaymentView(p.PaymentId, p.Method, p.Status, p.Amount, p.RefundedAmount, p.GatewayTransactionId, p.PixCode, p.BoletoLine)
            : null,
        order.TrackingNumber,
        order.CreatedAt,
        order.PaidAt,
        order.ShippedAt,
        order.DeliveredAt,
        order.CancelledAt,
        order.PaymentDueAt,
        order.Returns.Select(r => new ReturnView(r.ReturnId, r.Sku, r.Quantity, r.Reason, r.Status, r.RefundAmount)).ToList())
    {
        Adjustments = OrderAdjustmentView.From(order),
        Installments = order.Installments,
    };
}

/// <param name="Kind">pix_discount or card_interest.</param>
/// <param name="Amount">Added to the total: negative for a discount.</param>
public sealed record OrderAdjustmentView(string Kind, string Label, decimal Amount)
{
    public static IReadOnlyList<OrderAdjustmentView> From(OrderSnapshot order)
    {
        var adjustments = new List<OrderAdjustmentView>();
        if (order.Totals.PaymentDiscount > 0)
        {
            adjustments.Add(new("pix_discount", "Desconto no Pix", -order.Totals.PaymentDiscount));
        }

        if (order.Totals.Interest > 0 && order.Installments is { } plan)
        {
            adjustments.Add(new("card_interest", $"Juros do parcelamento em {plan.Count}x ({plan.MonthlyInterestRate:0.##}% a.m.)", order.Totals.Interest));
        }

        return adjustments;
    }
}

/// <param name="ListUnitPrice">The catalog price when the buyer's group discount (<paramref name="GroupDiscountPercentage"/>) gave <paramref name="UnitPrice"/>.</param>
public sealed record OrderLineView(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal, decimal? ListUnitPrice, decimal? GroupDiscountPercentage);

public sealed record PaymentView(Guid PaymentId, PaymentMethodKind Method, PaymentStatus Status, decimal Amount, decimal RefundedAmount, string? TransactionId, string? PixCode, string? BoletoLine);

public sealed record ReturnView(Guid ReturnId, string Sku, int Quantity, string Reason, ReturnStatus Status, decimal RefundAmount);
