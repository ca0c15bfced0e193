using Dapper;
using MestresCafe.Data.Projections;
using Npgsql;
using static MestresCafe.Data.SqlCommands;

namespace MestresCafe.Data.Inventory;

/// <summary>The relational row an inventory item grain starts from.</summary>
public sealed record InventoryRow(
    long InventoryId, long ProductId, long? VariantId, int Available, int Reserved, int Sold,
    int ReorderPoint, int ReorderQuantity, decimal CostPrice);

/// <summary>The counters of an inventory row; only a newer state version overwrites them.</summary>
public sealed record InventoryCountsRow(long InventoryId, int Available, int Reserved, int Sold, long StateVersion, decimal CostPrice)
{
    public int ReorderPoint { get; init; }
    public int ReorderQuantity { get; init; }
}

/// <summary>One inventory_movements row, keyed by its event id and its own timestamp.</summary>
public sealed record InventoryMovementRow(Guid EventId, string Type, int Quantity, string? ReferenceType, string? Notes, DateTimeOffset CreatedAt)
{
    /// <summary>The document's id (a purchase order's), when the movement refers to one.</summary>
    public long? ReferenceId { get; init; }

    /// <summary>What one unit of a receipt cost; the item's cost at the time when null.</summary>
    public decimal? UnitCost { get; init; }
}

public sealed record StockAdjustmentRow(Guid EventId, string Reason, int QuantityChange, decimal CostImpact, string? Notes, DateTimeOffset CreatedAt, long? CreatedBy);

/// <summary>Available stock reached the reorder point: one alert per back-office user allowed to restock.</summary>
public sealed record ReorderAlertRow(Guid EventId, string Sku, int Available, int ReorderPoint, int ReorderQuantity);

/// <summary>
/// Reads the inventory row an item starts from, and writes its outbox: the inventory row, its
/// movements, stock_adjustments and reorder alerts. One batch, one transaction, one round trip:
/// this is the hot-SKU path. Every row is keyed by event id, so replays change nothing.
/// </summary>
public sealed class InventoryProjectionStore(NpgsqlDataSource dataSource, ProjectionTransactions transactions)
{
    public async Task<InventoryRow?> LoadAsync(string sku, string location, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<InventoryRow>(new CommandDefinition(
            """
            select i.id as inventory_id, i.product_id, i.variant_id, i.quantity_available as available, i.quantity_reserved as reserved,
                   i.quantity_sold as sold, i.reorder_point, i.reorder_quantity, coalesce(i.cost_price, 0) as cost_price
            from inventory i
            join products p on p.id = i.product_id
            left join product_variants v on v.id = i.variant_id
            where i.location = @location and ((i.variant_id is not null and v.sku = @sku) or (i.variant_id is null and p.sku = @sku))
            """, new { sku, location }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Writes the batch (with <paramref name="cameBackInStock"/>, the answers to the item's
    /// back-in-stock requests); answers the product whose row went from some available units to none or
    /// back by this write (what the storefront's "in stock" follows), or null when it did not, or
    /// when the row was already newer (a replay).
    /// </summary>
    public Task<long?> ApplyAsync(
        InventoryCountsRow counts, IReadOnlyList<InventoryMovementRow> movements, IReadOnlyList<StockAdjustmentRow> adjustments,
        IReadOnlyList<ReorderAlertRow> alerts, bool cameBackInStock, CancellationToken cancellationToken) =>
        transactions.RunAsync(
            (connection, transaction, token) => ApplyAsync(counts, movements, adjustments, alerts, cameBackInStock, connection, transaction, token),
            cancellationToken);

    private static async Task<long?> ApplyAsync(
        InventoryCountsRow counts, IReadOnlyList<InventoryMovementRow> movements, IReadOnlyList<StockAdjustmentRow> adjustments,
        IReadOnlyList<ReorderAlertRow> alerts, bool cameBackInStock, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Batched(
            """
            update inventory i
            set quantity_available = $2, quantity_reserved = $3, quantity_sold = $4, state_version = $5, last_updated = now(),
                reorder_point = $6, reorder_quantity = $7,
                -- 0 is what the grain holds for an item that never had a cost: keep it unknown
                cost_price = case when i.cost_price is null and $8 = 0 then null else $8 end
            -- the row as it was before this write (the subquery reads the statement's snapshot)
            from (select id, quantity_available from inventory where id = $1 for update) previous
            where i.id = previous.id and i.state_version < $5
            returning i.product_id, (previous.quantity_available > 0) <> (i.quantity_available > 0) as flipped
            """,
            counts.InventoryId, counts.Available, counts.Reserved, counts.Sold, counts.StateVersion,
            counts.ReorderPoint, counts.ReorderQuantity, counts.CostPrice));

        // One statement for every movement of the batch (a hot item projects dozens per run): one
        // parse and plan instead of one per row, which is what PostgreSQL spent its time on here.
        batch.BatchCommands.Add(Batched(
            """
            insert into inventory_movements (inventory_id, type, quantity, unit_cost, reference_type, reference_id, notes, created_at, event_id)
            select $1, m.type, m.quantity, coalesce(m.unit_cost, $2), m.reference_type, m.reference_id, m.notes, m.created_at, m.event_id
            from unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[], $8::uuid[], $9::bigint[], $10::numeric[])
                as m (type, quantity, reference_type, notes, created_at, event_id, reference_id, unit_cost)
            on conflict (event_id, created_at) do nothing
            """,
            counts.InventoryId, counts.CostPrice,
            movements.Select(m => m.Type).ToArray(),
            movements.Select(m => m.Quantity).ToArray(),
            movements.Select(m => m.ReferenceType).ToArray(),
            movements.Select(m => m.Notes).ToArray(),
            movements.Select(m => m.CreatedAt).ToArray(),
            movements.Select(m => m.EventId).ToArray(),
            movements.Select(m => m.ReferenceId).ToArray(),
            movements.Select(m => m.UnitCost).ToArray()));

        foreach (var adjustment in adjustments)
        {
            batch.BatchCommands.Add(Batched(
                """
                insert into stock_adjustments (inventory_id, reason, quantity_change, cost_impact, notes, created_at, created_by, event_id)
                values ($1, $2, $3, $4, $5, $6, (select id from users where id = $7), $8)
                on conflict (event_id) do nothing
                """,
                counts.InventoryId, adjustment.Reason, adjustment.QuantityChange, adjustment.CostImpact,
                adjustment.Notes, adjustment.CreatedAt, adjustment.CreatedBy, adjustment.EventId));
        }

        foreach (var alert in alerts)
        {
            // The in-app alert and the e-mail to each active user allowed to restock; their ids are
            // derived from the event and the user so that a replay inserts nothing.
            batch.BatchCommands.Add(Batched(
                """
                with staff as (
                    select distinct u.id, u.email, u.first_name
                    from user_roles ur
                    join role_permissions rp on rp.role_id = ur.role_id
                    join permissions p on p.id = rp.permission_id and p.name = 'inventory:write'
                    join users u on u.id = ur.user_id and u.is_active
                    where ur.expires_at is null or ur.expires_at > now()
                ), notice as (
                    insert into notifications (user_id, type, title, content, data, event_id)
                    select s.id, 'stock_alert', 'Estoque no ponto de reposição: ' || $2,
                           'O item ' || $2 || ' chegou a ' || $3 || ' unidades disponíveis (ponto de reposição ' || $4 || ').',
                           jsonb_build_object('sku', $2, 'available', $3, 'reorderPoint', $4, 'reorderQuantity', $5),
                           md5($1::text || s.id::text)::uuid
                    from staff s
                    on conflict (event_id) do nothing
                )
                insert into outbound_messages (message_id, template, user_id, recipient, data)
                select md5($1::text || ':low_stock:' || s.id::text)::uuid, 'low_stock', s.id, s.email,
                       jsonb_build_object('first_name', coalesce(s.first_name, ''), 'item', jsonb_build_object(
                           'sku', $2, 'name', (select p.name || coalesce(' – ' || v.name, '') from inventory i join products p on p.id = i.product_id
                                               left join product_variants v on v.id = i.variant_id where i.id = $6),
                           'available', $3, 'reorder_point', $4, 'reorder_quantity', $5))
                from staff s
                on conflict (message_id) do nothing
                """,
                alert.EventId, alert.Sku, alert.Available, alert.ReorderPoint, alert.ReorderQuantity, counts.InventoryId));
        }

        if (cameBackInStock)
        {
            // The item's stock went from none to some in this batch and still has some: every
            // pending request for it is answered with one e-mail, keyed by the request, and closed in
            // the same transaction, so a replay (or a later crossing) never sends it again.
            batch.BatchCommands.Add(Batched(
                """
                with item as (
                    select product_id, variant_id from inventory where id = $1 and quantity_available > 0
                ), answered as (
                    update back_in_stock_requests r set status = 'notified', notified_at = now()
                    from item
                    where r.status = 'pending' and r.product_id = item.product_id and (r.variant_id is null or r.variant_id = item.variant_id)
                    returning r.request_id, r.user_id, r.product_id, r.variant_id
                )
                insert into outbound_messages (message_id, template, user_id, recipient, data)
                select md5(a.request_id::text || ':back_in_stock')::uuid, 'back_in_stock', u.id, u.email,
                       jsonb_build_object('first_name', coalesce(u.first_name, ''), 'product', jsonb_build_object(
                           'name', p.name || coalesce(' – ' || v.name, ''), 'slug', p.slug, 'price', coalesce(v.price, p.price)))
                from answered a
                join users u on u.id = a.user_id and u.is_active
                join products p on p.id = a.product_id
                left join product_variants v on v.id = a.variant_id
                on conflict (message_id) do nothing
                """,
                counts.InventoryId));
        }

        long? flipped = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken) && reader.GetBoolean(1))
            {
                flipped = reader.GetInt64(0);
            }

            // The later statements run as their results are read: drain them so that an error surfaces here.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        return flipped;
    }
}
