using Npgsql;
using NpgsqlTypes;

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
        await using var command = dataSource.CreateCommand(
            """
            insert into projection_dead_letters (grain_type, grain_key, event_id, event_type, payload, error_message, sql_state, attempts, first_failed_at, last_failed_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            on conflict (grain_type, grain_key, event_id) do update
            set attempts = projection_dead_letters.attempts + excluded.attempts, last_failed_at = excluded.last_failed_at,
                error_message = excluded.error_message, sql_state = excluded.sql_state
            """);
        command.Parameters.Add(new() { Value = letter.GrainType });
        command.Parameters.Add(new() { Value = letter.GrainKey });
        command.Parameters.Add(new() { Value = letter.EventId });
        command.Parameters.Add(new() { Value = letter.EventType });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)letter.PayloadJson ?? DBNull.Value });
        command.Parameters.Add(new() { Value = letter.ErrorMessage });
        command.Parameters.Add(new() { Value = (object?)letter.SqlState ?? DBNull.Value });
        command.Parameters.Add(new() { Value = letter.Attempts });
        command.Parameters.Add(new() { Value = letter.FirstFailedAt });
        command.Parameters.Add(new() { Value = letter.LastFailedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Newest failures first; unresolved only unless asked otherwise.</summary>
    public async Task<DeadLetterPage> ListAsync(bool includeResolved, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var items = new List<DeadLetterRow>();
        await using (var command = new NpgsqlCommand(
            $"select {Columns} from projection_dead_letters where $1 or resolved_at is null order by last_failed_at desc, id desc limit $2", connection))
        {
            command.Parameters.Add(new() { Value = includeResolved });
            command.Parameters.Add(new() { Value = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Read(reader));
            }
        }

        return new DeadLetterPage(items, await CountUnresolvedAsync(connection, cancellationToken));
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
    public async Task<DeadLetterRow?> ResolveAsync(
        long id, long? byUserId, Func<NpgsqlConnection, NpgsqlTransaction, DeadLetterRow, DeadLetterRow, Task> audit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        DeadLetterRow? before = null;
        await using (var select = new NpgsqlCommand($"select {Columns} from projection_dead_letters where id = $1 for update", connection, transaction))
        {
            select.Parameters.Add(new() { Value = id });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                before = Read(reader);
            }
        }

        if (before is null)
        {
            return null;
        }

        DeadLetterRow after;
        // Resolving twice keeps the first resolution.
        await using (var update = new NpgsqlCommand(
            $"""
            update projection_dead_letters
            set resolved_at = coalesce(resolved_at, now()), resolved_by = case when resolved_at is null then (select id from users where id = $2) else resolved_by end
            where id = $1 returning {Columns}
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = id });
            update.Parameters.Add(new() { Value = (object?)byUserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            after = Read(reader);
        }

        await audit(connection, transaction, before, after);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    private static async Task<long> CountUnresolvedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select count(*) from projection_dead_letters where resolved_at is null", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static DeadLetterRow Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(reader.GetOrdinal("id")),
        reader.GetString(reader.GetOrdinal("grain_type")),
        reader.GetString(reader.GetOrdinal("grain_key")),
        reader.GetGuid(reader.GetOrdinal("event_id")),
        reader.GetString(reader.GetOrdinal("event_type")),
        reader.IsDBNull(reader.GetOrdinal("payload")) ? null : reader.GetString(reader.GetOrdinal("payload")),
        reader.GetString(reader.GetOrdinal("error_message")),
        reader.IsDBNull(reader.GetOrdinal("sql_state")) ? null : reader.GetString(reader.GetOrdinal("sql_state")),
        reader.GetInt32(reader.GetOrdinal("attempts")),
        reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("first_failed_at")),
        reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("last_failed_at")),
        reader.IsDBNull(reader.GetOrdinal("resolved_at")) ? null : reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("resolved_at")),
        reader.IsDBNull(reader.GetOrdinal("resolved_by")) ? null : reader.GetInt64(reader.GetOrdinal("resolved_by")));
}
