using System.Text.Json;
using MestresCafe.Data.Mail;
using MestresCafe.Notifications;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// The e-mails an order's events cause, queued by <see cref="OrderProjection"/> in the transaction
/// that projects the events: order received (with the Pix copy-and-paste code or the boleto line),
/// payment confirmed, payment expired, shipped (tracking number), delivered and the review request
/// some days later (<see cref="OrderMailOptions.ReviewRequestDelay"/>, a due time on the queued row),
/// refund issued, and the return's steps (requested, approved or rejected, refunded: a return's
/// refund is told as such instead of as a plain refund). Each message id is
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
    public const string OrderDelivered = "order_delivered";
    public const string ReviewRequest = "review_request";
    public const string ReturnRequested = "return_requested";
    public const string ReturnApproved = "return_approved";
    public const string ReturnRejected = "return_rejected";
    public const string ReturnRefunded = "return_refunded";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IReadOnlyList<OutboundMessageRequest> From(string orderNumber, OrderState state, IReadOnlyList<OrderEvent> events, TimeSpan reviewDelay)
    {
        if (state.UserId <= 0)
        {
            return [];
        }

        var messages = new List<OutboundMessageRequest>();
        foreach (var orderEvent in events)
        {
            var (template, refund, returned) = orderEvent switch
            {
                OrderPlaced => (OrderReceived, null, null),
                OrderStatusChanged { To: OrderStatus.Paid } => (PaymentConfirmed, null, null),
                // The window passed, or the gateway said the Pix or boleto expired: not a refusal or a staff cancel.
                OrderStatusChanged { From: OrderStatus.AwaitingPayment, To: OrderStatus.Cancelled }
                    when state.Payment?.Status == PaymentStatus.Expired => (PaymentExpired, null, null),
                OrderStatusChanged { To: OrderStatus.Shipped } => (OrderShipped, null, null),
                OrderStatusChanged { To: OrderStatus.Delivered } => (OrderDelivered, null, null),
                OrderRefunded { Reason: "return" } refunded => (ReturnRefunded, new RefundData(refunded.Amount), null),
                OrderRefunded refunded => (RefundIssued, new RefundData(refunded.Amount), (ReturnData?)null),
                OrderReturnChanged changed when ReturnTemplate(changed, state) is { } step => (step.Template, null, step.Return),
                _ => ((string?)null, (RefundData?)null, (ReturnData?)null),
            };
            if (template is null)
            {
                continue;
            }

            var data = JsonSerializer.Serialize(new MailData(Order(orderNumber, state), refund, returned), Json);
            messages.Add(new OutboundMessageRequest(OutboundMessageIds.For(orderEvent.EventId, template), template, state.UserId, data));
            if (template == OrderDelivered)
            {
                messages.Add(new OutboundMessageRequest(OutboundMessageIds.For(orderEvent.EventId, ReviewRequest), ReviewRequest, state.UserId, data)
                {
                    Category = NotificationCategories.ReviewRequests,
                    DueAt = orderEvent.OccurredAt + reviewDelay,
                });
            }
        }

        return messages;
    }

    /// <summary>
    /// The message of a return step: requested, approved or rejected. Received says nothing (the
    /// refund that follows does), and refunded is told by its refund event.
    /// </summary>
    private static (string Template, ReturnData Return)? ReturnTemplate(OrderReturnChanged changed, OrderState state)
    {
        if (state.Returns.FirstOrDefault(r => r.ReturnId == changed.ReturnId) is not { } record)
        {
            return null;
        }

        // An event written before the status was kept with it: the record's current status stands in.
        string? template = (changed.Status ?? record.Status) switch
        {
            ReturnStatus.Requested => ReturnRequested,
            ReturnStatus.Approved => ReturnApproved,
            ReturnStatus.Rejected => ReturnRejected,
            _ => null,
        };
        var name = state.Lines.FirstOrDefault(l => l.Sku == record.Sku)?.Name ?? record.Sku;
        return template is null ? null : (template, new ReturnData(name, record.Quantity, record.RefundAmount, record.Reason));
    }

    private static OrderData Order(string orderNumber, OrderState state) => new(
        orderNumber, state.Totals.Total, state.Totals.Subtotal, state.Totals.Shipping, state.Totals.Discount,
        state.Payment?.Method.ToSnakeCase(), state.Payment?.PixCode, state.Payment?.BoletoLine, state.PaymentDueAt, state.TrackingNumber,
        state.Lines.Select(l => new ItemData(l.Name, l.Quantity, l.UnitPrice, l.LineTotal)).ToList());

    private sealed record MailData(OrderData Order, RefundData? Refund, ReturnData? Return);

    private sealed record OrderData(
        string Number, decimal Total, decimal Subtotal, decimal Shipping, decimal Discount, string? PaymentMethod,
        string? PixCode, string? BoletoLine, DateTimeOffset? PaymentDueAt, string? TrackingNumber, IReadOnlyList<ItemData> Items);

    private sealed record ItemData(string Name, int Quantity, decimal UnitPrice, decimal Total);

    private sealed record RefundData(decimal Amount);

    private sealed record ReturnData(string Name, int Quantity, decimal Amount, string Reason);
}
