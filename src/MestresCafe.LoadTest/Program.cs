using System.Text.Json;
using MestresCafe.LoadTest;
using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Metrics;
using MestresCafe.LoadTest.Scenarios;
using MestresCafe.Testing;

// Usage: MestresCafe.LoadTest <scenario> [--concurrency 64] [--duration 10] [--count N] [--servers 1]
//        [--buyers 2000] [--stock 500] [--skus 2] [--catalog 50] [--json results.json]
//        [--rate N (open loop: N requests a second on a fixed schedule)] [--settle 11] [--idle 5] (cost probe, seconds)
//        [--target http://127.0.0.1:5080,http://127.0.0.1:5081 --postgres "<connection string>"
//         --cluster-id mestrescafe-local --service-id mestrescafe]   (running servers instead of its own)
// Scenarios: hot-sku (group commit on, off and the SQL baseline in one run), reserve, sql-baseline,
// flash-sale, checkout-mix, catalog, fault-kill-server, fault-postgres-restart, fault-redis-restart.
var options = LoadOptions.Parse(args);
var results = await ScenarioRunner.RunAsync(options, Console.Out);
foreach (var result in results)
{
    Console.WriteLine();
    Console.WriteLine(result.ToTable());
}

if (options.JsonPath is { } path)
{
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"results written to {path}");
}

return results.All(r => r.Invariants?.Passed != false) ? 0 : 1;
