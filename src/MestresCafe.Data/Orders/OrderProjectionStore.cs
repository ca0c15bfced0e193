using MestresCafe.Data.Mail;
using MestresCafe.Data.Payments;
using MestresCafe.Data.Projections;
using Npgsql;
using static MestresCafe.Data.SqlCommands;

namespace MestresCafe.Data.Orders;

/// <summary>
/// Writes an order grain's outbox to orders, order_items, order_status_history, payments,
/// payment_refunds and returns, records the gateway deliveries it applied (payment_webhooks), and queues the e-mails its events cause (outbound_messages): one batch, one transaction, one round trip (checkout's hot path).
/// Rows are keyed by the order number and by event, payment, refund and return ids, and the orders
/// row is only overwritten by a newer state version, so applying the same outbox twice changes nothing.
/// </summary>
public sealed class OrderProjectionStore(ProjectionTransactions transactions)
{
    /// <summary>The key of the projection transactions orders share (a line of their own where the server runs).</summary>
    public const string Line = "orders";

    private const string OrderId = "(select id from orders where order_number = $1)";

    public Task ApplyAsync(OrderProjectionRows rows, CancellationToken cancellationToken) =>
        transactions.RunAsync((connection, transaction, token) => ApplyAsync(rows, connection, transaction, token), cancellationToken);

    private static async Task ApplyAsync(OrderProjectionRows rows, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var number = rows.OrderNumber;
        if (rows.Placed is { } placed)
        {
            AddOrderInsert(batch, number, placed);
        }

        foreach (var history in rows.History)
        {
            batch.BatchCommands.Add(Batched(
                $"""
                insert into order_status_history (order_id, status, previous_status, comment, changed_by, changed_at, event_id)
                values ({OrderId}, $2, $3, $4, (select id from users where id = $5), $6, $7)
                on conflict (event_id) do nothing
                """,
                number, history.Status, history.PreviousStatus, history.Comment, history.ChangedBy, history.ChangedAt, history.EventId));
        }

        AddOrderUpdate(batch, number, rows.Figures);
        if (rows.Payment is { } payment)
        {
            AddPaymentUpsert(batch, number, payment);
        }

        foreach (var row in rows.Returns)
        {
            AddReturnUpsert(batch, number, row);
        }

        // Refund rows reference the payment row, so they come after its upsert.
        foreach (var refund in rows.Refunds)
        {
            batch.BatchCommands.Add(Batched(
                """
                insert into payment_refunds (payment_id, amount, reason, status, gateway_refund_id, processed_at, processed_by, event_id, created_at)
                values ((select id from payments where event_id = $1), $2, $3, 'succeeded', $4, $5, (select id from users where id = $6), $7, $5)
                on conflict (event_id) do nothing
                """,
                refund.PaymentId, refund.Amount, refund.Reason, refund.GatewayRefundId, refund.ProcessedAt, refund.ProcessedBy, refund.EventId));
        }

        // In the order's own transaction: an event is projected and its e-mail queued together, or neither.
        foreach (var message in rows.Messages)
        {
            batch.BatchCommands.Add(OutboundMessageSql.Enqueue(message));
        }

        foreach (var access in rows.CourseAccess)
        {
            batch.BatchCommands.Add(access.Grant ? CourseEnrollmentSql.Grant(number, access.UserId) : CourseEnrollmentSql.Revoke(number));
        }

        foreach (var webhook in rows.Webhooks)
        {
            batch.BatchCommands.Add(PaymentWebhookStore.RecordApplied(webhook));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddOrderInsert(NpgsqlBatch batch, string orderNumber, PlacedOrderRow order)
    {
        // Every buyer has a customer record from their first order at the latest (issue 16); the
        // guard keeps the usual case (the record exists) from using up a customer number.
        batch.BatchCommands.Add(Batched(
            "insert into customers (user_id) select $1 where not exists (select 1 from customers where user_id = $1) on conflict (user_id) do nothing",
            order.UserId));
        batch.BatchCommands.Add(Batched(
            """
            insert into orders (order_number, user_id, status, subtotal, tax_amount, shipping_amount, discount_amount, total_amount,
                                currency, billing_address, shipping_address, created_at, payment_method_id, idempotency_key,
                                shipping_method, state_version, payment_due_at, payment_discount_amount, interest_amount, installments)
            values ($1, $2, 'pending', $3, $4, $5, $6, $7, 'BRL', $8, $9, $10,
                    (select id from payment_methods where type = $11 order by sort_order limit 1), $12, $13, 0, $14, $15, $16, $17)
            on conflict (order_number) do nothing
            """,
            orderNumber, order.UserId, order.Subtotal, order.Tax, order.Shipping, order.Discount, order.Total,
            Jsonb(order.BillingAddressJson), Jsonb(order.ShippingAddressJson), order.CreatedAt,
            order.PaymentMethod, order.IdempotencyKey, order.ShippingMethod, order.PaymentDueAt,
            order.PaymentDiscount, order.Interest, (short)order.Installments));
        foreach (var item in order.Items)
        {
            batch.BatchCommands.Add(Batched(
                $"""
                insert into order_items (order_id, product_id, variant_id, quantity, unit_price, total_price, product_data, created_at)
                values ({OrderId}, $2, $3, $4, $5, $6, $7, $8)
                on conflict (order_id, product_id, variant_id) do nothing
                """,
                orderNumber, item.ProductId, item.VariantId, item.Quantity, item.UnitPrice, item.TotalPrice,
                Jsonb(item.ProductDataJson), order.CreatedAt));
        }
    }

    private static void AddOrderUpdate(NpgsqlBatch batch, string orderNumber, OrderFiguresRow order) =>
        batch.BatchCommands.Add(Batched(
            """
            update orders
            set status = $2, tracking_number = $3, shipped_at = $4, delivered_at = $5, paid_at = $6, cancelled_at = $7,
                state_version = $8, updated_at = now()
            where order_number = $1 and state_version < $8
            """,
            orderNumber, order.Status, order.TrackingNumber, order.ShippedAt, order.DeliveredAt, order.PaidAt, order.CancelledAt, order.StateVersion));

    private static void AddPaymentUpsert(NpgsqlBatch batch, string orderNumber, PaymentRow payment) =>
        batch.BatchCommands.Add(Batched(
            $"""
            insert into payments (order_id, payment_method_id, status, gateway_transaction_id, amount, currency, gateway_response, processed_at, event_id)
            values ({OrderId}, (select id from payment_methods where type = $2 order by sort_order limit 1), $3, $4, $5, 'BRL', $6, $7, $8)
            on conflict (event_id) do update
            set status = excluded.status, gateway_transaction_id = excluded.gateway_transaction_id,
                gateway_response = excluded.gateway_response, processed_at = excluded.processed_at, updated_at = now()
            """,
            orderNumber, payment.Method, payment.Status, payment.GatewayTransactionId, payment.Amount,
            Jsonb(payment.GatewayResponseJson), payment.ProcessedAt, payment.PaymentId));

    private static void AddReturnUpsert(NpgsqlBatch batch, string orderNumber, ReturnRow row) =>
        batch.BatchCommands.Add(Batched(
            $"""
            insert into returns (order_id, order_item_id, reason, status, quantity, refund_amount, notes, requested_at, approved_at,
                                 processed_at, processed_by, event_id)
            values ({OrderId},
                    (select id from order_items where order_id = {OrderId} and product_id = $2 and variant_id is not distinct from $3),
                    $4, $5, $6, $7, $8, $9, $10, $11, (select id from users where id = $12), $13)
            on conflict (event_id) do update
            set status = excluded.status, approved_at = excluded.approved_at, processed_at = excluded.processed_at,
                processed_by = excluded.processed_by, refund_amount = excluded.refund_amount
            """,
            orderNumber, row.ProductId, row.VariantId, row.Reason, row.Status, row.Quantity, row.RefundAmount,
            row.Notes, row.RequestedAt, row.ApprovedAt, row.ProcessedAt, row.ProcessedBy, row.ReturnId));
}
