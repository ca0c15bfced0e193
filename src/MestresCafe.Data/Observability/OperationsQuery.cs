using Dapper;
using Npgsql;

namespace MestresCafe.Data.Observability;

/// <summary>The operational figures read periodically for the gauges and the health snapshots.</summary>
public sealed record OperationsFigures
{
    /// <summary>Unresolved rows of projection_dead_letters.</summary>
    public long DeadLetters { get; init; }
    /// <summary>Messages waiting to be sent (pending or being sent).</summary>
    public long MailQueued { get; init; }
    /// <summary>Age in seconds of the oldest message due and not yet sent; 0 when none is.</summary>
    public double MailOldestDueSeconds { get; init; }
    /// <summary>Rows in default partitions, all tables together.</summary>
    public long DefaultPartitionRows { get; init; }
}

/// <summary>One round trip for every figure; each count runs on a partial index.</summary>
public sealed class OperationsQuery(NpgsqlDataSource dataSource)
{
    public async Task<OperationsFigures> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<OperationsFigures>(new CommandDefinition(
            """
            select
                (select count(*) from projection_dead_letters where resolved_at is null) as dead_letters,
                (select count(*) from outbound_messages where status in ('pending', 'sending')) as mail_queued,
                coalesce((select extract(epoch from now() - min(next_attempt_at))::float8
                          from outbound_messages where status = 'pending' and next_attempt_at <= now()), 0) as mail_oldest_due_seconds,
                (select coalesce(sum(row_count), 0)::bigint from public.default_partition_rows()) as default_partition_rows
            """, cancellationToken: cancellationToken));
    }
}
