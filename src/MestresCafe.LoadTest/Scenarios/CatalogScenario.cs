using MestresCafe.LoadTest.Cost;
using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Metrics;

namespace MestresCafe.LoadTest.Scenarios;

/// <summary>Anonymous browsing: product pages, listing pages and full-text searches.</summary>
public static class CatalogScenario
{
    private static readonly string[] Terms = ["cafe", "carga", "especial", "moido", "graos"];

    public static async Task<ScenarioResult> RunAsync(LoadCluster cluster, int catalogSize, Bounds bounds, TextWriter? progress)
    {
        var prefix = "CAT-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-";
        for (var i = 0; i < catalogSize; i++)
        {
            await Seeding.InsertItemAsync(cluster.Db, prefix + i, 100);
        }

        var clients = cluster.HttpClients();
        var zipf = new Zipf(catalogSize, 1.0);
        // Before the metrics: the idle measurement is not part of the run's elapsed time.
        await using var cost = await CostProbe.StartAsync(cluster.Postgres, bounds.Idle);
        var metrics = new RunMetrics("catalog", progress);
        using var progressStop = new CancellationTokenSource();
        var reporter = metrics.ReportProgressAsync(progressStop.Token);
        var openLoop = await Workload.RunAsync(bounds, async (worker, start, stop) =>
        {
            var http = clients[worker % clients.Length];
            var (name, path) = Random.Shared.Next(3) switch
            {
                0 => ("product", $"/api/catalog/products/{(prefix + zipf.Sample(Random.Shared)).ToLowerInvariant()}"),
                1 => ("list", $"/api/catalog/products?page={Random.Shared.Next(1, 4)}"),
                _ => ("search", $"/api/catalog/products?q={Terms[Random.Shared.Next(Terms.Length)]}"),
            };
            var stats = metrics.Operation(name);
            try
            {
                using var response = await http.GetAsync(path, stop);
                stats.Record(start, response.IsSuccessStatusCode ? Outcome.Ok : Outcome.Error);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception)
            {
                stats.Record(start, Outcome.Error);
            }
        });
        metrics.Stop();
        await progressStop.CancelAsync();
        await reporter;
        var requests = new[] { "product", "list", "search" }.Sum(name => metrics.Operation(name).Ok);
        var costs = await cost.FinishAsync("request", requests, bounds.Settle, progress);
        return metrics.Finish(new Dictionary<string, string>
        {
            ["catalog"] = catalogSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["concurrency"] = bounds.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }) with { Cost = costs, OpenLoop = openLoop };
    }
}
