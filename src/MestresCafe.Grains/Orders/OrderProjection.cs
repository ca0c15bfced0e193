using System.Text.Json;
using MestresCafe.Data.Orders;
using MestresCafe.Data.Payments;
using MestresCafe.Grains.Projections;
using MestresCafe.Orders;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// Maps a run of an order grain's outbox to the rows <see cref="OrderProjectionStore"/> writes in
/// one transaction: the order's latest figures, and what each event adds (the placement, status
/// history, refunds) or moves (the payment, returns), and the e-mails they cause (<see cref="OrderMailFeed"/>). The rows are taken from the latest state, not
/// each event's: later events only ever move them forward.
/// </summary>
public sealed class OrderProjection(OrderProjectionStore store, IOptions<OrderMailOptions> mail) : IProjection<string, OrderState, OrderEvent>
{
    public Task ApplyAsync(string orderNumber, OrderState order, IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken) =>
        store.ApplyAsync(Rows(orderNumber, order, events), cancellationToken);

    private OrderProjectionRows Rows(string orderNumber, OrderState order, IReadOnlyList<OrderEvent> events) => new(
        orderNumber,
        new OrderFiguresRow(order.Status.ToSql(), order.TrackingNumber, order.ShippedAt, order.DeliveredAt, order.PaidAt, order.CancelledAt, order.Version))
    {
        Placed = events.Any(e => e is OrderPlaced) ? Placed(order) : null,
        History = events.OfType<OrderStatusChanged>()
            .Select(c => new OrderStatusHistoryRow(c.EventId, c.To.ToSql(), c.From?.ToSql(), c.Comment, c.ByUserId, c.OccurredAt))
            .ToList(),
        Payment = order.Payment is { } payment && events.Any(e => e is OrderPaymentChanged or OrderRefunded) ? Payment(payment, order) : null,
        Returns = events.OfType<OrderReturnChanged>().Select(e => e.ReturnId).Distinct()
            .Select(id => Return(order, order.Returns.First(r => r.ReturnId == id)))
            .ToList(),
        Refunds = order.Payment is { } paid
            ? events.OfType<OrderRefunded>()
                .Select(r => new PaymentRefundRow(r.EventId, paid.PaymentId, r.Amount, r.Reason, r.GatewayRefundId, r.OccurredAt, r.ByUserId))
                .ToList()
            : [],
        Messages = OrderMailFeed.From(orderNumber, order, events, mail.Value.ReviewRequestDelay),
        CourseAccess = OrderCourseFeed.From(order, events),
        Webhooks = events.OfType<OrderPaymentEventApplied>()
            .Select(e => new AppliedPaymentWebhook(e.Provider, e.ExternalEventId, e.Type, e.Payload, e.OccurredAt))
            .ToList(),
    };

    private static PlacedOrderRow Placed(OrderState order) => new(
        order.UserId, order.Totals.Subtotal, order.Totals.Tax, order.Totals.Shipping, order.Totals.Discount, order.Totals.Total,
        Json(order.BillingAddress ?? order.ShippingAddress), Json(order.ShippingAddress), order.CreatedAt,
        (order.Payment?.Method ?? PaymentMethodKind.Pix).ToSnakeCase(), order.IdempotencyKey, order.ShippingMethod,
        order.Lines.Select(line => new OrderItemRow(
            line.ProductId, line.VariantId, line.Quantity, line.UnitPrice, line.LineTotal,
            Json(new { sku = line.Sku, name = line.Name, categoryIds = line.CategoryIds, listUnitPrice = line.ListUnitPrice, groupDiscountPercentage = line.GroupDiscountPercentage })!)).ToList())
    {
        PaymentDueAt = order.PaymentDueAt,
        PaymentDiscount = order.Totals.PaymentDiscount,
        Interest = order.Totals.Interest,
        Installments = order.Installments?.Count ?? 1,
    };

    private static PaymentRow Payment(PaymentRecord payment, OrderState order) => new(
        payment.PaymentId, payment.Method.ToSnakeCase(), payment.Status.ToSnakeCase(), payment.GatewayTransactionId, payment.Amount,
        Json(new { pixCode = payment.PixCode, boletoLine = payment.BoletoLine, refunded = payment.RefundedAmount, failure = payment.FailureReason, installments = order.Installments })!,
        payment.ProcessedAt);

    private static ReturnRow Return(OrderState order, ReturnRecord record)
    {
        var line = order.Lines.First(l => l.Sku == record.Sku);
        return new ReturnRow(
            record.ReturnId, line.ProductId, line.VariantId, record.Reason, record.Status.ToSnakeCase(), record.Quantity, record.RefundAmount,
            record.Notes, record.RequestedAt, record.ApprovedAt, record.ProcessedAt, record.ProcessedBy);
    }

    private static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
