using Dapper;
using Npgsql;

namespace MestresCafe.Data.Observability;

/// <summary>One service's state as one server saw it.</summary>
public sealed record HealthSnapshot(
    string ServerName, string ServiceName, string Status, string MetricsJson, string? ErrorMessage, int ResponseTimeMs, DateTimeOffset CheckedAt);

public sealed record HealthSnapshotRow
{
    public long Id { get; init; }
    public string ServerName { get; init; } = "";
    public string ServiceName { get; init; } = "";
    public string Status { get; init; } = "";
    public System.Text.Json.JsonElement Metrics { get; init; }
    public string? ErrorMessage { get; init; }
    public int? ResponseTimeMs { get; init; }
    public DateTimeOffset CheckedAt { get; init; }
}

/// <summary>system_health: each server writes a snapshot of every service periodically; the back office reads them.</summary>
public sealed class SystemHealthStore(NpgsqlDataSource dataSource)
{
    public async Task<int> WriteAsync(IReadOnlyList<HealthSnapshot> snapshots, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into system_health (server_name, service_name, status, metrics, error_message, response_time_ms, checked_at)
            values (@ServerName, @ServiceName, @Status, @MetricsJson::jsonb, @ErrorMessage, @ResponseTimeMs, @CheckedAt)
            """, snapshots, cancellationToken: cancellationToken));
    }

    /// <summary>The latest snapshot of each service on each server heard from since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<HealthSnapshotRow>> LatestAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<HealthSnapshotRow>(new CommandDefinition(
            """
            select distinct on (server_name, service_name)
                   id, server_name, service_name, status, metrics, error_message, response_time_ms, checked_at
            from system_health
            where checked_at >= @since
            order by server_name, service_name, checked_at desc
            """, new { since }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>One service's snapshots over a time range, newest first, for a chart or an incident review.</summary>
    public async Task<IReadOnlyList<HealthSnapshotRow>> HistoryAsync(
        string service, string? server, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<HealthSnapshotRow>(new CommandDefinition(
            """
            select id, server_name, service_name, status, metrics, error_message, response_time_ms, checked_at
            from system_health
            where service_name = @service and (@server::text is null or server_name = @server)
              and checked_at >= @from and checked_at < @to
            order by checked_at desc
            limit @limit
            """, new { service, server, from, to, limit }, cancellationToken: cancellationToken))).ToList();
    }
}
