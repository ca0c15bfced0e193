using MestresCafe.Inventory;
using MestresCafe.LoadTest.Cost;
using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Invariants;
using MestresCafe.LoadTest.Metrics;

namespace MestresCafe.LoadTest.Scenarios;

/// <summary>
/// Hot-SKU reservations through the Orleans client (no HTTP in the path): every worker reserves
/// one unit of the same item with a fresh reservation id, so all of them queue on one grain.
/// </summary>
public static class ReserveScenario
{
    public static async Task<ScenarioResult> RunAsync(LoadCluster cluster, Bounds bounds, int stock, bool groupCommit, int writesInFlight, TextWriter? progress)
    {
        var sku = "HOT-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await Seeding.InsertItemAsync(cluster.Db, sku, stock);
        var ledger = new RunLedger();
        ledger.InitialStock[sku] = stock;
        var key = InventoryKey.For(sku);
        var grain = cluster.Grains.GetGrain<IInventoryItemGrain>(key);
        await grain.GetAsync(); // activation and bootstrap are not part of the measurement

        // Before the metrics: the idle measurement is not part of the run's elapsed time.
        await using var cost = await CostProbe.StartAsync(cluster.Postgres, bounds.Idle);
        var metrics = new RunMetrics(
            (groupCommit ? "reserve-group-commit" : "reserve-one-write-each") + (writesInFlight > 1 ? $"-{writesInFlight}-in-flight" : ""), progress);
        var stats = metrics.Operation("reserve");
        using var progressStop = new CancellationTokenSource();
        var reporter = metrics.ReportProgressAsync(progressStop.Token);
        var expiry = DateTimeOffset.UtcNow.AddMinutes(30);
        var openLoop = await Workload.RunAsync(bounds, async (_, start, _) =>
        {
            var id = Guid.NewGuid();
            try
            {
                var result = await grain.ReserveAsync(id, 1, expiry);
                if (result.Succeeded)
                {
                    ledger.AcknowledgedReservation(sku, key, id, 1);
                }

                stats.Record(start, result.Succeeded ? Outcome.Ok : Outcome.Rejected);
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

        var elapsed = metrics.Elapsed;
        var history = await new InvariantReader(cluster.Db, cluster.Grains).ReadAsync(ledger, TimeSpan.FromSeconds(30));
        var result = metrics.Finish(Parameters(bounds, stock, groupCommit, "orleans-client"), InvariantChecker.Check(history));
        return result with { Seconds = Math.Round(elapsed.TotalSeconds, 2), Cost = costs, OpenLoop = openLoop };
    }

    public static Dictionary<string, string> Parameters(Bounds bounds, int stock, bool? groupCommit, string via) => new()
    {
        ["concurrency"] = bounds.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["durationSeconds"] = bounds.Duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["stock"] = stock.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["groupCommit"] = groupCommit switch { true => "on", false => "off", null => "n/a" },
        ["via"] = via,
    };
}
