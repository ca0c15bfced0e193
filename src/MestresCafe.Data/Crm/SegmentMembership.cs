using System.Text.Json;
using Dapper;
using MestresCafe.Crm;
using MestresCafe.Scheduling;
using Npgsql;

namespace MestresCafe.Data.Crm;

/// <summary>
/// Who is in a segment: the criteria evaluated against the customers (all of them, or the ones
/// whose facts changed), and customer_segment_members brought in line in one statement. A
/// segment's evaluations are serialized by a transaction-scoped advisory lock, so a full and an
/// incremental run never interleave on one segment.
/// </summary>
public sealed class SegmentMembership(NpgsqlDataSource dataSource, TimeProvider clock) : IScheduledTask
{
    /// <summary>Its scheduled_tasks row (migration 0092): the full recomputation, every 6 hours.</summary>
    public const string TaskName = "segments.recompute";

    private const int SegmentLockSpace = 0x5345_4731; // "SEG1"
    private const int QueueBatch = 500;

    /// <summary>The full recomputation of every active segment; members added plus removed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var changed = 0;
        foreach (var segment in await ActiveAsync(connection, null, cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            changed += await ApplyAsync(connection, transaction, segment.Id, segment.Criteria, null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return changed;
    }

    /// <summary>
    /// The incremental recomputation: the queued customers against every active segment, and off
    /// the queue, in one transaction (a crash leaves them queued); members added plus removed.
    /// </summary>
    public async Task<int> DrainQueueAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var customers = (await connection.QueryAsync<long>(new CommandDefinition(
                """
                delete from customer_segment_queue where customer_id in (
                    select customer_id from customer_segment_queue order by queued_at limit @batch for update skip locked)
                returning customer_id
                """, new { batch = QueueBatch }, transaction, cancellationToken: cancellationToken))).ToArray();
            if (customers.Length == 0)
            {
                return changed;
            }

            foreach (var segment in await ActiveAsync(connection, transaction, cancellationToken))
            {
                changed += await ApplyAsync(connection, transaction, segment.Id, segment.Criteria, customers, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>The customer ids the criteria select now, without writing anything (what a full recomputation would make the members).</summary>
    public async Task<IReadOnlyList<long>> MatchingAsync(SegmentCriteria criteria, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var parameters = new DynamicParameters(new { now = clock.GetUtcNow() });
        var condition = SegmentSql.Condition(criteria, parameters);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            $"select c.id from customers c join users u on u.id = c.user_id where {condition} order by c.id",
            parameters, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Brings one segment's members in line for the candidates (null: every customer); members added plus removed.</summary>
    internal async Task<int> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long segmentId, SegmentCriteria criteria, long[]? candidates, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(@space, @segmentId::int)", new { space = SegmentLockSpace, segmentId }, transaction, cancellationToken: cancellationToken));
        var parameters = new DynamicParameters(new { segmentId, now = clock.GetUtcNow(), all = candidates is null, candidates = candidates ?? [] });
        var condition = SegmentSql.Condition(criteria, parameters);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"""
            with matching as (
                select c.id from customers c join users u on u.id = c.user_id
                where (@all or c.id = any(@candidates)) and {condition}
            ), removed as (
                delete from customer_segment_members m
                where m.segment_id = @segmentId and (@all or m.customer_id = any(@candidates))
                  and m.customer_id not in (select id from matching)
                returning 1
            ), added as (
                insert into customer_segment_members (customer_id, segment_id, added_at)
                select id, @segmentId, @now from matching
                on conflict (customer_id, segment_id) do nothing
                returning 1
            )
            select ((select count(*) from removed) + (select count(*) from added))::int
            """, parameters, transaction, cancellationToken: cancellationToken));
    }

    private static async Task<IReadOnlyList<(long Id, SegmentCriteria Criteria)>> ActiveAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(long Id, string Criteria)>(new CommandDefinition(
            "select id, criteria::text from customer_segments where is_active order by id", transaction: transaction, cancellationToken: cancellationToken));
        var segments = new List<(long, SegmentCriteria)>();
        foreach (var (id, json) in rows)
        {
            // Saved criteria were validated; one that no longer parses (edited by hand) is skipped, not guessed at.
            if (SegmentCriteria.Parse(JsonSerializer.Deserialize<JsonElement>(json)).Criteria is { } criteria)
            {
                segments.Add((id, criteria));
            }
        }

        return segments;
    }
}

/// <summary>The incremental segment refresh as periodic work: <see cref="SegmentMembership.DrainQueueAsync"/>.</summary>
public sealed class SegmentQueueRefresher(SegmentMembership membership)
{
    /// <summary>Members added plus removed for the customers queued since the last run.</summary>
    public Task<int> RunOnceAsync(CancellationToken cancellationToken) => membership.DrainQueueAsync(cancellationToken);
}
