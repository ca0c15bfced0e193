using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Metrics;
using MestresCafe.LoadTest.Scenarios;
using MestresCafe.Testing;

namespace MestresCafe.LoadTest.Faults;

/// <summary>
/// Checkout traffic over the servers (--servers) on a PostgreSQL cluster of the run's own, which the harness
/// crashes (immediate stop: every connection cut, no checkpoint) and starts again a third of the way
/// in. Grain writes fail meanwhile, so their grains drop the unpersisted state; clients retry with
/// the same Idempotency-Key. The invariant checker then asks whether anything acknowledged was lost
/// or sold twice.
/// </summary>
public static class PostgresRestartFault
{
    public static readonly TimeSpan Downtime = TimeSpan.FromSeconds(2);

    public static async Task<ScenarioResult> RunAsync(LoadOptions options, TextWriter? progress)
    {
        await using var postgres = await PostgresServerProcess.StartAsync();
        await using var database = await TestDatabase.CreateMigratedAsync("loadpgrestart", postgres.ServerConnectionString);
        await using var servers = await LoadCluster.StartAsync(database.ConnectionString, options.Servers, LoadCluster.DefaultSettings(true));
        var settings = new FlashSaleScenario.Settings(options.Buyers, options.Skus, options.Stock, options.Bounds, async cluster =>
        {
            progress?.WriteLine($"crashing PostgreSQL on port {postgres.Port} for {Downtime.TotalSeconds:0} s");
            await postgres.CrashAndRestartAsync(Downtime);
            // The harness's own pooled connections died with the server; the servers' pools find
            // out by themselves.
            cluster.Db.Clear();
            progress?.WriteLine("PostgreSQL is back");
        });
        var result = await FlashSaleScenario.RunAsync(servers, settings, progress);
        return result with { Scenario = "fault-postgres-restart" };
    }
}
