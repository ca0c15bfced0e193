using Npgsql;

namespace MestresCafe.Grains.Inventory;

/// <summary>The relational row an inventory item grain starts from and projects into.</summary>
public sealed record InventoryRow(
    long InventoryId, long ProductId, long? VariantId, int Available, int Reserved, int Sold,
    int ReorderPoint, int ReorderQuantity, decimal CostPrice);

/// <summary>
/// Reads the inventory row an item starts from, and applies its outbox: the inventory row (only a
/// newer state version overwrites it), one inventory_movements row per event (keyed by event id and
/// its own timestamp), stock_adjustments for adjustments, and a back-office notification when the
/// available stock reaches the reorder point. All in one transaction; replays change nothing.
/// </summary>
public sealed class InventoryProjection(NpgsqlDataSource dataSource)
{
    public async Task<InventoryRow?> LoadAsync(string sku, string location, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            select i.id, i.product_id, i.variant_id, i.quantity_available, i.quantity_reserved, i.quantity_sold,
                   i.reorder_point, i.reorder_quantity, coalesce(i.cost_price, 0)
            from inventory i
            join products p on p.id = i.product_id
            left join product_variants v on v.id = i.variant_id
            where i.location = $2 and ((i.variant_id is not null and v.sku = $1) or (i.variant_id is null and p.sku = $1))
            """);
        command.Parameters.Add(new() { Value = sku });
        command.Parameters.Add(new() { Value = location });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new InventoryRow(
            reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetDecimal(8));
    }

    public async Task ApplyAsync(string sku, InventoryItemState state, IReadOnlyList<InventoryMovement> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(
            """
            update inventory
            set quantity_available = $2, quantity_reserved = $3, quantity_sold = $4, state_version = $5, last_updated = now()
            where id = $1 and state_version < $5
            """,
            state.InventoryId, state.Available, state.Reserved, state.Sold, state.Version));

        // One statement for every movement of the batch (a hot item projects dozens per run): one
        // parse and plan instead of one per row, which is what PostgreSQL spent its time on here.
        batch.BatchCommands.Add(Command(
            """
            insert into inventory_movements (inventory_id, type, quantity, unit_cost, reference_type, notes, created_at, event_id)
            select $1, m.type, m.quantity, $2, m.reference_type, m.notes, m.created_at, m.event_id
            from unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[], $8::uuid[])
                as m (type, quantity, reference_type, notes, created_at, event_id)
            on conflict (event_id, created_at) do nothing
            """,
            state.InventoryId, state.CostPrice,
            events.Select(m => MovementType(m).Type).ToArray(),
            events.Select(m => Math.Abs(m.Quantity)).ToArray(),
            events.Select(m => MovementType(m).ReferenceType).ToArray(),
            events.Select(Notes).ToArray(),
            events.Select(m => m.OccurredAt).ToArray(),
            events.Select(m => m.EventId).ToArray()));

        foreach (var movement in events)
        {
            if (movement.Type == InventoryMovementType.Adjust)
            {
                batch.BatchCommands.Add(Command(
                    """
                    insert into stock_adjustments (inventory_id, reason, quantity_change, cost_impact, notes, created_at, created_by, event_id)
                    values ($1, $2, $3, $4, $5, $6, (select id from users where id = $7), $8)
                    on conflict (event_id) do nothing
                    """,
                    state.InventoryId, movement.Reason ?? "other", movement.Quantity, movement.Quantity * state.CostPrice,
                    movement.Notes, movement.OccurredAt, movement.UserId, movement.EventId));
            }

            if (movement.ReachedReorderPoint)
            {
                // One alert per back-office user allowed to restock; the id is derived from the event
                // and the user so that a replay inserts nothing.
                batch.BatchCommands.Add(Command(
                    """
                    insert into notifications (user_id, type, title, content, data, event_id)
                    select distinct ur.user_id, 'stock_alert', 'Estoque no ponto de reposição: ' || $2,
                           'O item ' || $2 || ' chegou a ' || $3 || ' unidades disponíveis (ponto de reposição ' || $4 || ').',
                           jsonb_build_object('sku', $2, 'available', $3, 'reorderPoint', $4, 'reorderQuantity', $5),
                           md5($1::text || ur.user_id::text)::uuid
                    from user_roles ur
                    join role_permissions rp on rp.role_id = ur.role_id
                    join permissions p on p.id = rp.permission_id and p.name = 'inventory:write'
                    where ur.expires_at is null or ur.expires_at > now()
                    on conflict (event_id) do nothing
                    """,
                    movement.EventId, sku, movement.AvailableAfter, state.ReorderPoint, state.ReorderQuantity));
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static (string Type, string? ReferenceType) MovementType(InventoryMovement movement) => movement.Type switch
    {
        InventoryMovementType.Reserve => ("reservation", "order"),
        InventoryMovementType.Release or InventoryMovementType.Expire => ("reservation_release", "order"),
        InventoryMovementType.Commit => ("sale", "order"),
        InventoryMovementType.Restock when movement.Reason == "return" => ("return", "return"),
        InventoryMovementType.Restock => ("receipt", "manual"),
        InventoryMovementType.Adjust => (movement.Quantity > 0 ? "adjustment_in" : "adjustment_out", "stock_adjustment"),
        _ => ("receipt", "manual"),
    };

    private static string? Notes(InventoryMovement movement) => movement switch
    {
        { ReservationId: { } id } => $"reservation {id}" + (movement.Type == InventoryMovementType.Expire ? " expired" : ""),
        { Notes: { } notes } => notes,
        _ => movement.Reason,
    };

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
