using System.Text.Json;
using MestresCafe.Orders;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// Applies an order grain's outbox to orders, order_items, order_status_history, payments,
/// payment_refunds and returns in one transaction. Rows are keyed by the order number and by
/// event, payment, refund and return ids, and the orders row is only overwritten by a newer state
/// version, so applying the same outbox twice changes nothing.
/// </summary>
public sealed class OrderProjection(NpgsqlDataSource dataSource)
{
    private const string OrderId = "(select id from orders where order_number = $1)";

    public async Task ApplyAsync(string orderNumber, OrderState order, IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = new NpgsqlBatch(connection, transaction);
        var refunds = new List<NpgsqlBatchCommand>();
        foreach (var orderEvent in events)
        {
            switch (orderEvent)
            {
                case OrderPlaced:
                    AddOrderInsert(batch, orderNumber, order);
                    break;
                case OrderStatusChanged changed:
                    batch.BatchCommands.Add(Command(
                        $"""
                        insert into order_status_history (order_id, status, previous_status, comment, changed_by, changed_at, event_id)
                        values ({OrderId}, $2, $3, $4, (select id from users where id = $5), $6, $7)
                        on conflict (event_id) do nothing
                        """,
                        orderNumber, changed.To.ToSql(), changed.From?.ToSql(), changed.Comment, changed.ByUserId, changed.OccurredAt, changed.EventId));
                    break;
                case OrderRefunded refunded when order.Payment is { } payment:
                    refunds.Add(Command(
                        """
                        insert into payment_refunds (payment_id, amount, reason, status, gateway_refund_id, processed_at, processed_by, event_id, created_at)
                        values ((select id from payments where event_id = $1), $2, $3, 'succeeded', $4, $5, (select id from users where id = $6), $7, $5)
                        on conflict (event_id) do nothing
                        """,
                        payment.PaymentId, refunded.Amount, refunded.Reason, refunded.GatewayRefundId, refunded.OccurredAt, refunded.ByUserId, refunded.EventId));
                    break;
            }
        }

        // The latest state, not each event's: later events only ever move these rows forward.
        AddOrderUpdate(batch, orderNumber, order);
        if (order.Payment is { } current && events.Any(e => e is OrderPaymentChanged or OrderRefunded))
        {
            AddPaymentUpsert(batch, orderNumber, current);
        }

        foreach (var returnId in events.OfType<OrderReturnChanged>().Select(e => e.ReturnId).Distinct())
        {
            AddReturnUpsert(batch, orderNumber, order, order.Returns.First(r => r.ReturnId == returnId));
        }

        // Refund rows reference the payment row, so they come after its upsert.
        foreach (var refund in refunds)
        {
            batch.BatchCommands.Add(refund);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static void AddOrderInsert(NpgsqlBatch batch, string orderNumber, OrderState order)
    {
        batch.BatchCommands.Add(Command(
            """
            insert into orders (order_number, user_id, status, subtotal, tax_amount, shipping_amount, discount_amount, total_amount,
                                currency, billing_address, shipping_address, created_at, payment_method_id, idempotency_key,
                                shipping_method, state_version)
            values ($1, $2, 'pending', $3, $4, $5, $6, $7, 'BRL', $8, $9, $10,
                    (select id from payment_methods where type = $11 order by sort_order limit 1), $12, $13, 0)
            on conflict (order_number) do nothing
            """,
            orderNumber, order.UserId, order.Totals.Subtotal, order.Totals.Tax, order.Totals.Shipping, order.Totals.Discount, order.Totals.Total,
            Json(order.BillingAddress ?? order.ShippingAddress), Json(order.ShippingAddress), order.CreatedAt,
            (order.Payment?.Method ?? PaymentMethodKind.Pix).ToSnakeCase(), order.IdempotencyKey, order.ShippingMethod));
        foreach (var line in order.Lines)
        {
            batch.BatchCommands.Add(Command(
                $"""
                insert into order_items (order_id, product_id, variant_id, quantity, unit_price, total_price, product_data, created_at)
                values ({OrderId}, $2, $3, $4, $5, $6, $7, $8)
                on conflict (order_id, product_id, variant_id) do nothing
                """,
                orderNumber, line.ProductId, line.VariantId, line.Quantity, line.UnitPrice, line.LineTotal,
                Json(new { sku = line.Sku, name = line.Name, categoryIds = line.CategoryIds }), order.CreatedAt));
        }
    }

    private static void AddOrderUpdate(NpgsqlBatch batch, string orderNumber, OrderState order) =>
        batch.BatchCommands.Add(Command(
            """
            update orders
            set status = $2, tracking_number = $3, shipped_at = $4, delivered_at = $5, paid_at = $6, cancelled_at = $7,
                state_version = $8, updated_at = now()
            where order_number = $1 and state_version < $8
            """,
            orderNumber, order.Status.ToSql(), order.TrackingNumber, order.ShippedAt, order.DeliveredAt, order.PaidAt, order.CancelledAt, order.Version));

    private static void AddPaymentUpsert(NpgsqlBatch batch, string orderNumber, PaymentRecord payment) =>
        batch.BatchCommands.Add(Command(
            $"""
            insert into payments (order_id, payment_method_id, status, gateway_transaction_id, amount, currency, gateway_response, processed_at, event_id)
            values ({OrderId}, (select id from payment_methods where type = $2 order by sort_order limit 1), $3, $4, $5, 'BRL', $6, $7, $8)
            on conflict (event_id) do update
            set status = excluded.status, gateway_transaction_id = excluded.gateway_transaction_id,
                gateway_response = excluded.gateway_response, processed_at = excluded.processed_at, updated_at = now()
            """,
            orderNumber, payment.Method.ToSnakeCase(), payment.Status.ToSnakeCase(), payment.GatewayTransactionId, payment.Amount,
            Json(new { pixCode = payment.PixCode, boletoLine = payment.BoletoLine, refunded = payment.RefundedAmount, failure = payment.FailureReason }),
            payment.ProcessedAt, payment.PaymentId));

    private static void AddReturnUpsert(NpgsqlBatch batch, string orderNumber, OrderState order, ReturnRecord record)
    {
        var line = order.Lines.First(l => l.Sku == record.Sku);
        batch.BatchCommands.Add(Command(
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
            orderNumber, line.ProductId, line.VariantId, record.Reason, record.Status.ToSnakeCase(), record.Quantity, record.RefundAmount,
            record.Notes, record.RequestedAt, record.ApprovedAt, record.ProcessedAt, record.ProcessedBy, record.ReturnId));
    }

    private static NpgsqlParameter Json(object? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = value is null ? DBNull.Value : JsonSerializer.Serialize(value, JsonSerializerOptions.Web) };

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
