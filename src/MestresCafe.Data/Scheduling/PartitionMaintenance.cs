using Dapper;
using MestresCafe.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Data.Scheduling;

/// <summary>
/// <c>partitions.create_ahead</c>: keeps every monthly range-partitioned table (audit_logs,
/// system_logs, inventory_movements, and any added later) partitioned from the current month to
/// <see cref="MaintenanceOptions.PartitionMonthsAhead"/> months ahead, and raises a warning in
/// system_logs for each default partition holding rows: a row there means a month was missing when
/// it was written (create_monthly_partitions moves such rows once their month exists).
/// </summary>
public sealed class PartitionMaintenance(NpgsqlDataSource dataSource, IOptionsMonitor<MaintenanceOptions> options, ILogger<PartitionMaintenance> logger) : IScheduledTask
{
    public const string TaskName = "partitions.create_ahead";

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var tables = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            select c.oid::regclass::text
            from pg_partitioned_table pt
            join pg_class c on c.oid = pt.partrelid
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum = pt.partattrs[0]
            where n.nspname = 'public' and pt.partstrat = 'r' and pt.partnatts = 1
              and a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
            order by 1
            """, cancellationToken: cancellationToken))).AsList();
        var created = 0;
        foreach (var table in tables)
        {
            created += await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "select public.create_monthly_partitions(@table::regclass, date_trunc('month', now())::date, @months)",
                new { table, months = options.CurrentValue.PartitionMonthsAhead + 1 }, cancellationToken: cancellationToken));
        }

        await WarnAboutDefaultRowsAsync(connection, tables, cancellationToken);
        return created;
    }

    private async Task WarnAboutDefaultRowsAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            var rows = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"select count(*) from {table}_default", cancellationToken: cancellationToken));
            if (rows == 0)
            {
                continue;
            }

            logger.LogWarning("{Rows} rows of {Table} are in its default partition: a month partition was missing", rows, table);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into system_logs (level, message, module, function, context)
                values ('warning', @message, 'partitions', @function, jsonb_build_object('table', @table, 'rows', @rows))
                """,
                new { message = $"{rows} rows of {table} are in its default partition: a month partition was missing", function = TaskName, table, rows },
                cancellationToken: cancellationToken));
        }
    }
}
