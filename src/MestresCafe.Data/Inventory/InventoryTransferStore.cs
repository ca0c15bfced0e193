using Dapper;
using MestresCafe.Data.Admin;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Inventory;

public sealed record TransferInput(string IdempotencyKey, string Sku, string From, string To, int Quantity, string? Notes);

public sealed record TransferRecord(
    long Id, string Sku, string FromLocation, string ToLocation, int Quantity, string Status, string? Notes, long? CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);

/// <summary>A transfer recorded (or found again by its key, <see cref="Replayed"/>), or why it was refused.</summary>
public sealed record TransferRecording(TransferRecord? Transfer, bool Replayed, TransferProblem? Problem);

/// <summary>A refusal: <see cref="Field"/> names what was wrong; <see cref="Conflict"/> when the key was used for another transfer.</summary>
public sealed record TransferProblem(string Field, string Message, bool Conflict = false);

public static class TransferStatus
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// The rows of stock transfers between locations. A transfer is recorded, with its audit row and the
/// destination's inventory row when the item had none there, before any stock moves; its status
/// then goes from pending to completed (both movements in stock) or failed (nothing moved).
/// </summary>
public sealed class InventoryTransferStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, sku, from_location, to_location, quantity, status, notes, created_by, created_at, finished_at";

    public async Task<TransferRecord?> FindAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TransferRecord>(new CommandDefinition(
            $"select {Columns} from inventory_transfers where idempotency_key = @idempotencyKey", new { idempotencyKey }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a pending transfer after checking its locations and item. Two servers recording the
    /// same key at once: the second waits on the key's unique index and finds the first's row.
    /// </summary>
    public async Task<TransferRecording> RecordAsync(TransferInput input, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var write = await WriteScope.BeginAsync(dataSource, cancellationToken);
        var locations = (await write.Connection.QueryAsync<LocationState>(new CommandDefinition(
            "select code, is_active from locations where code = any(@codes) for share",
            new { codes = new[] { input.From, input.To } }, write.Transaction, cancellationToken: cancellationToken))).ToDictionary(l => l.Code, l => l.IsActive);
        if (!locations.ContainsKey(input.From))
        {
            return Refused("from", "No such location.");
        }

        if (!locations.TryGetValue(input.To, out var destinationActive) || !destinationActive)
        {
            return Refused("to", "No such active location.");
        }

        var item = await write.Connection.QuerySingleOrDefaultAsync<SourceItem>(new CommandDefinition(
            """
            select i.product_id, i.variant_id
            from inventory i
            join products p on p.id = i.product_id
            left join product_variants v on v.id = i.variant_id
            where i.location = @from and ((i.variant_id is not null and v.sku = @sku) or (i.variant_id is null and p.sku = @sku))
            """, new { from = input.From, sku = input.Sku }, write.Transaction, cancellationToken: cancellationToken));
        if (item is not { } source)
        {
            return Refused("sku", $"The item has no stock at {input.From}.");
        }

        var id = await write.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into inventory_transfers (idempotency_key, sku, from_location, to_location, quantity, notes, created_by)
            values (@key, @sku, @from, @to, @quantity, @notes, (select id from users where id = @userId))
            on conflict (idempotency_key) do nothing
            returning id
            """,
            new { key = input.IdempotencyKey, sku = input.Sku, from = input.From, to = input.To, quantity = input.Quantity, notes = input.Notes, userId = actor.UserId },
            write.Transaction, cancellationToken: cancellationToken));
        if (id is not { } transferId)
        {
            // Recorded meanwhile by a retry on another server.
            await write.DisposeAsync();
            return await FindAsync(input.IdempotencyKey, cancellationToken) is { } earlier
                ? Replay(earlier, input)
                : throw new InvalidOperationException("A transfer key conflicted but no transfer holds it.");
        }

        // The destination's inventory row, empty, so that its item grain can receive the units.
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into inventory (product_id, variant_id, location, cost_price)
            select product_id, variant_id, @to, cost_price from inventory
            where product_id = @productId and variant_id is not distinct from @variantId and location = @from
            on conflict on constraint uq_inventory_item do nothing
            """, new { to = input.To, from = input.From, source.ProductId, source.VariantId }, write.Transaction, cancellationToken: cancellationToken));
        var transfer = await write.Connection.QuerySingleAsync<TransferRecord>(new CommandDefinition(
            $"select {Columns} from inventory_transfers where id = @transferId", new { transferId }, write.Transaction, cancellationToken: cancellationToken));
        await write.AuditAsync(new AuditEntry("inventory.transfer", "inventory_transfers", transferId, null,
            new { input.Sku, input.From, input.To, input.Quantity, input.Notes, input.IdempotencyKey }), actor, cancellationToken);
        await write.CommitAsync(cancellationToken);
        return new TransferRecording(transfer, false, null);
    }

    /// <summary>A transfer found again by its key: the same request is a replay, another one a conflict.</summary>
    public static TransferRecording Replay(TransferRecord earlier, TransferInput input) =>
        earlier.Sku == input.Sku && earlier.FromLocation == input.From && earlier.ToLocation == input.To && earlier.Quantity == input.Quantity
            ? new TransferRecording(earlier, true, null)
            : new TransferRecording(null, false, new TransferProblem("Idempotency-Key", "This key was used for a different transfer.", Conflict: true));

    /// <summary>Moves a pending transfer to completed or failed; a finished one stays as it is. Returns the row.</summary>
    public async Task<TransferRecord> FinishAsync(long id, string status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update inventory_transfers set status = @status, finished_at = now() where id = @id and status = 'pending'",
            new { id, status }, cancellationToken: cancellationToken));
        return await connection.QuerySingleAsync<TransferRecord>(new CommandDefinition(
            $"select {Columns} from inventory_transfers where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Transfers recorded more than <paramref name="olderThan"/> ago and still pending (their server died or timed out).</summary>
    public async Task<IReadOnlyList<TransferRecord>> PendingAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<TransferRecord>(new CommandDefinition(
            $"select {Columns} from inventory_transfers where status = 'pending' and created_at < now() - @olderThan order by created_at limit @limit",
            new { olderThan, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Transfers, newest first, optionally of one SKU.</summary>
    public async Task<IReadOnlyList<TransferRecord>> ListAsync(string? sku, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<TransferRecord>(new CommandDefinition(
            $"select {Columns} from inventory_transfers where (@sku::text is null or sku = @sku) order by created_at desc, id desc limit @limit",
            new { sku, limit }, cancellationToken: cancellationToken))).AsList();
    }

    private sealed record LocationState(string Code, bool IsActive);

    private sealed record SourceItem(long ProductId, long? VariantId);

    private static TransferRecording Refused(string field, string message) => new(null, false, new TransferProblem(field, message));
}
