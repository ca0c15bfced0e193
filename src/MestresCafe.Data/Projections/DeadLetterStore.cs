using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Projections;

/// <summary>An outbox event that its projection could not apply, as the pump hands it over.</summary>
public sealed record DeadLetter(
    string GrainType, string GrainKey, Guid EventId, string EventType, string? PayloadJson,
    string ErrorMessage, string? SqlState, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt);

/// <summary>One row of the operators' list.</summary>
public sealed record DeadLetterRow(
    long Id, string GrainType, string GrainKey, Guid EventId, string EventType, string? Payload,
    string ErrorMessage, string? SqlState, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt,
    DateTimeOffset? ResolvedAt, long? ResolvedBy);

public sealed record DeadLetterPage(IReadOnlyList<DeadLetterRow> Items, long Unresolved);

/// <summary>
/// projection_dead_letters: written by the outbox pump, read and resolved by operators. Recording is
/// keyed by grain and event id, so a pump that crashed after recording and before removing the event
/// from its outbox records it again without a second row.
/// </summary>
public sealed class DeadLetterStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, grain_type, grain_key, event_id, event_type, payload::text as payload, error_message, sql_state, attempts, first_failed_at, last_failed_at, resolved_at, resolved_by";

    public async Task RecordAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into projection_dead_letters (grain_type, grain_key, event_id, event_type, payload, error_message, sql_state, attempts, first_failed_at, last_failed_at)
            values (@GrainType, @GrainKey, @EventId, @EventType, @PayloadJson::jsonb, @ErrorMessage, @SqlState, @Attempts, @FirstFailedAt, @LastFailedAt)
            on conflict (grain_type, grain_key, event_id) do update
            set attempts = projection_dead_letters.attempts + excluded.attempts, last_failed_at = excluded.last_failed_at,
                error_message = excluded.error_message, sql_state = excluded.sql_state
            """, letter, cancellationToken: cancellationToken));
    }

    /// <summary>Newest failures first; unresolved only unless asked otherwise.</summary>
    public async Task<DeadLetterPage> ListAsync(bool includeResolved, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<DeadLetterRow>(new CommandDefinition(
            $"select {Columns} from projection_dead_letters where @includeResolved or resolved_at is null order by last_failed_at desc, id desc limit @limit",
            new { includeResolved, limit }, cancellationToken: cancellationToken));
        return new DeadLetterPage(items.AsList(), await CountUnresolvedAsync(connection, cancellationToken));
    }

    /// <summary>The unresolved count, for the gauge operators alert on.</summary>
    public async Task<long> CountUnresolvedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CountUnresolvedAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Marks a dead letter resolved by an operator; <paramref name="audit"/> runs in the same
    /// transaction with the row before and after. Null when no such row exists.
    /// </summary>
    public async Task<DeadLetterRow?> ResolveAsync(long id, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<DeadLetterRow>(new CommandDefinition(
            $"select {Columns} from projection_dead_letters where id = @id for update", new { id }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return null;
        }

        // Resolving twice keeps the first resolution.
        var after = await connection.QuerySingleAsync<DeadLetterRow>(new CommandDefinition(
            $"""
            update projection_dead_letters
            set resolved_at = coalesce(resolved_at, now()), resolved_by = case when resolved_at is null then (select id from users where id = @byUserId) else resolved_by end
            where id = @id returning {Columns}
            """, new { id, byUserId = actor.UserId }, transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry(
            "projection_dead_letter.resolve", "projection_dead_letters", id,
            new { before.ResolvedAt, before.ResolvedBy }, new { after.ResolvedAt, after.ResolvedBy }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    private static async Task<long> CountUnresolvedAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from projection_dead_letters where resolved_at is null", cancellationToken: cancellationToken));
}
