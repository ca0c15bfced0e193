using System.Globalization;
using System.Text;
using Npgsql;

namespace MestresCafe.LoadTest.Cost;

/// <summary>One statement's cumulative calls in the run's database, from <c>pg_stat_statements</c>.</summary>
public sealed record StatementCount(long QueryId, bool TopLevel, string Query, long Calls, double ExecMs);

/// <summary>
/// Attributes a run's transactions statement by statement: the difference of two
/// <c>pg_stat_statements</c> readings of the run's database, spread over the units completed. Needs
/// the module preloaded (scripts/services.sh does); otherwise the probe prints no breakdown.
/// Statements inside functions and triggers are counted too (<c>track = all</c>) and marked nested,
/// so that a trigger's work is seen without being taken for a transaction of its own.
/// </summary>
public static class StatementCounts
{
    /// <summary>Whether the view can be read (creating the extension in the admin database if needed).</summary>
    public static async Task<bool> AvailableAsync(string admin)
    {
        try
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("create extension if not exists pg_stat_statements", connection);
            await create.ExecuteNonQueryAsync();
            await using var probe = new NpgsqlCommand("select count(*) from pg_stat_statements limit 1", connection);
            await probe.ExecuteScalarAsync();
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    public static async Task<IReadOnlyDictionary<(long, bool), StatementCount>> ReadAsync(NpgsqlConnection admin, string database)
    {
        await using var command = new NpgsqlCommand(
            """
            select s.queryid, s.toplevel, s.query, s.calls, s.total_exec_time
            from pg_stat_statements s join pg_database d on d.oid = s.dbid
            where d.datname = $1 and s.queryid is not null
            """, admin);
        command.Parameters.Add(new() { Value = database });
        var counts = new Dictionary<(long, bool), StatementCount>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var count = new StatementCount(reader.GetInt64(0), reader.GetBoolean(1), reader.GetString(2), reader.GetInt64(3), reader.GetDouble(4));
            counts[(count.QueryId, count.TopLevel)] = count;
        }

        return counts;
    }

    /// <summary>Calls per unit of every statement that ran between the readings, most called first.</summary>
    public static IReadOnlyList<StatementCount> Between(
        IReadOnlyDictionary<(long, bool), StatementCount> before, IReadOnlyDictionary<(long, bool), StatementCount> after)
    {
        return after.Values
            .Select(a => before.TryGetValue((a.QueryId, a.TopLevel), out var b) ? a with { Calls = a.Calls - b.Calls, ExecMs = a.ExecMs - b.ExecMs } : a)
            .Where(s => s.Calls > 0)
            .OrderByDescending(s => s.Calls)
            .ToList();
    }

    /// <summary>
    /// Explicit transactions among the calls: top-level <c>BEGIN</c> (or <c>START TRANSACTION</c>)
    /// statements, which is how the projections' and every other multi-statement transaction start.
    /// The rest of a run's transactions are implicit: one statement, or one batch, each.
    /// </summary>
    public static long ExplicitTransactions(IEnumerable<StatementCount> statements) =>
        statements.Where(s => s.TopLevel && StartsTransaction(s.Query)).Sum(s => s.Calls);

    private static bool StartsTransaction(string query)
    {
        var text = query.Trim().TrimEnd(';');
        return text.Equals("begin", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("begin ", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("start transaction", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A table of the statements run per unit: calls, execution time, and the statement's start.</summary>
    public static string Describe(IReadOnlyList<StatementCount> statements, string unit, long units, int top)
    {
        var text = new StringBuilder();
        var perUnit = units > 0 ? units : 1;
        var topLevel = statements.Where(s => s.TopLevel).Sum(s => s.Calls);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"statements per {unit} (pg_stat_statements; {topLevel / (double)perUnit:0.00} top-level calls, nested ones marked *):");
        foreach (var s in statements.Take(top))
        {
            var query = string.Join(' ', s.Query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {s.Calls / (double)perUnit,8:0.00} {s.ExecMs / perUnit,8:0.00} ms {(s.TopLevel ? ' ' : '*')} {(query.Length > 110 ? query[..110] + "…" : query)}");
        }

        return text.ToString().TrimEnd();
    }
}
