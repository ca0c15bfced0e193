using MestresCafe.LoadTest.Cost;
using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Metrics;
using Npgsql;

namespace MestresCafe.LoadTest.Scenarios;

/// <summary>
/// The conventional implementation the grain is compared with: one conditional UPDATE of the stock
/// row per reservation, each in its own (autocommit) transaction, one connection per worker, so the
/// workers queue on the row lock exactly as a stateless service would.
/// </summary>
public static class SqlBaselineScenario
{
    public static async Task<ScenarioResult> RunAsync(string postgres, Bounds bounds, int stock, TextWriter? progress)
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres) { MaxPoolSize = Math.Max(bounds.Concurrency + 4, 20) };
        await using var db = NpgsqlDataSource.Create(builder.ConnectionString);
        var sku = "SQL-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await Seeding.InsertItemAsync(db, sku, stock);
        await using var find = db.CreateCommand("select i.id from inventory i join products p on p.id = i.product_id where p.sku = $1");
        find.Parameters.Add(new() { Value = sku });
        var inventoryId = (long)(await find.ExecuteScalarAsync())!;

        // Before the metrics: the idle measurement is not part of the run's elapsed time.
        await using var cost = await CostProbe.StartAsync(postgres, bounds.Idle);
        var metrics = new RunMetrics("sql-baseline", progress);
        var stats = metrics.Operation("reserve");
        using var progressStop = new CancellationTokenSource();
        var reporter = metrics.ReportProgressAsync(progressStop.Token);
        long acknowledged = 0;
        var openLoop = await Workload.RunAsync(bounds, async (_, start, _) =>
        {
            try
            {
                await using var command = db.CreateCommand(
                    "update inventory set quantity_available = quantity_available - 1 where id = $1 and quantity_available >= 1");
                command.Parameters.Add(new() { Value = inventoryId });
                var rows = await command.ExecuteNonQueryAsync();
                if (rows == 1)
                {
                    Interlocked.Increment(ref acknowledged);
                }

                stats.Record(start, rows == 1 ? Outcome.Ok : Outcome.Rejected);
            }
            catch (Exception)
            {
                stats.Record(start, Outcome.Error);
            }
        });
        metrics.Stop();
        await progressStop.CancelAsync();
        await reporter;
        var costs = await cost.FinishAsync("reservation", stats.Ok, bounds.Settle, progress);

        await using var check = db.CreateCommand("select quantity_available from inventory where id = $1");
        check.Parameters.Add(new() { Value = inventoryId });
        var left = (int)(await check.ExecuteScalarAsync())!;
        var violations = left + acknowledged == stock ? new List<string>() : [$"stock {stock} != left {left} + acknowledged {acknowledged}"];
        return metrics.Finish(
            ReserveScenario.Parameters(bounds, stock, null, "sql"),
            new InvariantSummary(violations.Count == 0, 1, violations, [$"acknowledged {acknowledged}, left {left}"])) with { Cost = costs, OpenLoop = openLoop };
    }
}
