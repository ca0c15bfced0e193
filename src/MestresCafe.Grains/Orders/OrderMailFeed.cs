using System.Text.Json;
using MestresCafe.Data.Mail;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// The e-mails an order's events cause, queued by <see cref="OrderProjection"/> in the transaction
/// that projects the events: order received (with the Pix copy-and-paste code or the boleto line),
/// payment confirmed, payment expired, shipped (tracking number), refund issued. Each message id is
/// derived from the event id and the template, so a replayed outbox, a retried webhook or a server
/// that died between the projection and the outbox trim queues nothing twice; the sender delivers
/// each once.
/// </summary>
public static class OrderMailFeed
{
    public const string OrderReceived = "order_received";
    public const string PaymentConfirmed = "payment_confirmed";
    public const string PaymentExpired = "payment_expired";
    public const string OrderShipped = "order_shipped";
    public const string RefundIssued = "refund_issued";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IReadOnlyList<OutboundMessageRequest> From(string orderNumber, OrderState state, IReadOnlyList<OrderEvent> events)
    {
        if (state.UserId <= 0)
        {
            return [];
        }

        var messages = new List<OutboundMessageRequest>();
        foreach (var orderEvent in events)
        {
            var (template, refund) = orderEvent switch
            {
                OrderPlaced => (OrderReceived, null),
                OrderStatusChanged { To: OrderStatus.Paid } => (PaymentConfirmed, null),
                // The window passed, or the gateway said the Pix or boleto expired: not a refusal or a staff cancel.
                OrderStatusChanged { From: OrderStatus.AwaitingPayment, To: OrderStatus.Cancelled }
                    when state.Payment?.Status == PaymentStatus.Expired => (PaymentExpired, null),
                OrderStatusChanged { To: OrderStatus.Shipped } => (OrderShipped, null),
                OrderRefunded refunded => (RefundIssued, new RefundData(refunded.Amount)),
                _ => ((string?)null, (RefundData?)null),
            };
            if (template is not null)
            {
                var data = JsonSerializer.Serialize(new MailData(Order(orderNumber, state), refund), Json);
                messages.Add(new OutboundMessageRequest(OutboundMessageIds.For(orderEvent.EventId, template), template, state.UserId, data));
            }
        }

        return messages;
    }

    private static OrderData Order(string orderNumber, OrderState state) => new(
        orderNumber, state.Totals.Total, state.Totals.Subtotal, state.Totals.Shipping, state.Totals.Discount,
        state.Payment?.Method.ToSnakeCase(), state.Payment?.PixCode, state.Payment?.BoletoLine, state.PaymentDueAt, state.TrackingNumber,
        state.Lines.Select(l => new ItemData(l.Name, l.Quantity, l.UnitPrice, l.LineTotal)).ToList());

    private sealed record MailData(OrderData Order, RefundData? Refund);

    private sealed record OrderData(
        string Number, decimal Total, decimal Subtotal, decimal Shipping, decimal Discount, string? PaymentMethod,
        string? PixCode, string? BoletoLine, DateTimeOffset? PaymentDueAt, string? TrackingNumber, IReadOnlyList<ItemData> Items);

    private sealed record ItemData(string Name, int Quantity, decimal UnitPrice, decimal Total);

    private sealed record RefundData(decimal Amount);
}
