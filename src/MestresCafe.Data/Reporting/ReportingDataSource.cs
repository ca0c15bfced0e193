using MestresCafe.Data.Connections;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace MestresCafe.Data.Reporting;

/// <summary>
/// The reporting reader: a data source of its own (ConnectionStrings:Reporting, e.g. a replica,
/// else ConnectionStrings:Postgres) so that long reports never take connections from the
/// storefront's pool, and every query in a read-only transaction with a statement timeout. Its pool
/// is small (<see cref="PostgresPoolOptions.ReportingPoolSize"/>): reports are few and long.
/// </summary>
public sealed class ReportingDataSource : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _statementTimeoutMs;

    public ReportingDataSource(string connectionString, TimeSpan statementTimeout, int maxPoolSize = 2)
    {
        _dataSource = NpgsqlDataSource.Create(
            PostgresPoolOptions.Pooled(connectionString, PostgresPoolOptions.ReportingApplicationName, maxPoolSize));
        _statementTimeoutMs = (int)statementTimeout.TotalMilliseconds;
    }

    public static ReportingDataSource Create(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Reporting") is { Length: > 0 } reporting
            ? reporting
            : configuration.GetConnectionString("Postgres")
              ?? throw new InvalidOperationException("ConnectionStrings:Reporting or ConnectionStrings:Postgres is required.");
        var timeout = TimeSpan.FromSeconds(configuration.GetValue("Reporting:StatementTimeoutSeconds", 30));
        return new ReportingDataSource(connectionString, timeout, PostgresPoolOptions.From(configuration).ReportingPoolSize);
    }

    public Task<ReportTable> RunAsync(ReportDefinition report, ReportQuery query, CancellationToken cancellationToken = default) =>
        RunSqlAsync(report.SqlFor(query), query, cancellationToken);

    private async Task<ReportTable> RunSqlAsync(string sql, ReportQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Repeatable read: one snapshot for the whole report; read only: the reader can never write,
        // even if a report's SQL were wrong.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var setup = new NpgsqlCommand(
            $"set transaction read only; set local statement_timeout = {_statementTimeoutMs}", connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        // Wall times: whatever Kind the caller's DateTime carries, the zone is $3.
        command.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(query.Range.From, DateTimeKind.Unspecified), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Timestamp });
        command.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(query.Range.To, DateTimeKind.Unspecified), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Timestamp });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Range.TimeZone, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = query.GroupBy, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(query.Limit, 1, ReportQuery.MaxLimit), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        await reader.DisposeAsync();
        await transaction.CommitAsync(cancellationToken);
        return new ReportTable(columns, rows);
    }

    /// <summary>
    /// The plan of a report's statement with the given parameters (for the index checks); with
    /// <paramref name="analyze"/> it is run, so branches it skipped show as never executed.
    /// </summary>
    public async Task<string> ExplainAsync(ReportDefinition report, ReportQuery query, bool analyze = false, CancellationToken cancellationToken = default)
    {
        var explain = analyze ? "explain (analyze, timing off) " : "explain ";
        var plan = await RunSqlAsync(explain + report.SqlFor(query), query, cancellationToken);
        return string.Join('\n', plan.Rows.Select(r => (string)r[0]!));
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
