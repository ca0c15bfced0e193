using MestresCafe.LoadTest.Faults;
using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Metrics;
using MestresCafe.LoadTest.Scenarios;
using MestresCafe.Testing;

namespace MestresCafe.LoadTest;

/// <summary>
/// Runs one named scenario on a database of its own (cloned from the migrated template on the
/// configured PostgreSQL server) with servers it starts and stops itself.
/// </summary>
public static class ScenarioRunner
{
    public static async Task<List<ScenarioResult>> RunAsync(LoadOptions options, TextWriter? progress)
    {
        if (options.TargetEndpoints.Count > 0)
        {
            return [await RunAgainstRunningServersAsync(options, progress)];
        }

        if (options.Scenario == "fault-postgres-restart")
        {
            // Runs on a PostgreSQL cluster of its own, which it may crash.
            return [await PostgresRestartFault.RunAsync(options, progress)];
        }

        await using var database = await TestDatabase.CreateMigratedAsync("load" + options.Scenario, fullDurability: true);
        var results = new List<ScenarioResult>();
        switch (options.Scenario)
        {
            case "hot-sku":
                results.Add(await ReserveAsync(database, options, groupCommit: true, options.WritesInFlight, progress));
                results.Add(await ReserveAsync(database, options, groupCommit: true, writesInFlight: 1, progress));
                results.Add(await ReserveAsync(database, options, groupCommit: false, writesInFlight: 1, progress));
                results.Add(await SqlBaselineScenario.RunAsync(database.ConnectionString, options.Bounds, options.Stock, progress));
                break;
            case "reserve":
                results.Add(await ReserveAsync(database, options, options.GroupCommit != "off", options.WritesInFlight, progress));
                break;
            case "sql-baseline":
                results.Add(await SqlBaselineScenario.RunAsync(database.ConnectionString, options.Bounds, options.Stock, progress));
                break;
            case "flash-sale":
            {
                await using var cluster = await LoadCluster.StartAsync(database.ConnectionString, options.Servers, LoadCluster.DefaultSettings(true));
                results.Add(await FlashSaleScenario.RunAsync(cluster, new(options.Buyers, options.Skus, options.Stock, options.Bounds), progress));
                break;
            }

            case "checkout-mix":
            {
                var settings = LoadCluster.DefaultSettings(true);
                CheckoutMixScenario.ConfigureServers(settings);
                await using var cluster = await LoadCluster.StartAsync(database.ConnectionString, options.Servers, settings);
                results.Add(await CheckoutMixScenario.RunAsync(cluster, options.Catalog, options.Bounds, progress));
                break;
            }

            case "catalog":
            {
                await using var cluster = await LoadCluster.StartAsync(database.ConnectionString, options.Servers, LoadCluster.DefaultSettings(true));
                results.Add(await CatalogScenario.RunAsync(cluster, options.Catalog, options.Bounds, progress));
                break;
            }

            case "fault-kill-server":
                results.Add(await KillServerFault.RunAsync(database.ConnectionString, options, progress));
                break;
            case "fault-redis-restart":
                results.Add(await RedisRestartFault.RunAsync(database.ConnectionString, options, progress));
                break;
            default:
                throw new ArgumentException("unknown scenario " + options.Scenario);
        }

        return results;
    }

    /// <summary>
    /// The HTTP scenarios against servers someone else started. Their database (<c>--postgres</c>)
    /// receives the run's items and buyers; fault scenarios need servers the harness owns.
    /// </summary>
    private static async Task<ScenarioResult> RunAgainstRunningServersAsync(LoadOptions options, TextWriter? progress)
    {
        var postgres = options.Postgres ?? throw new ArgumentException("--target needs --postgres: the connection string of the servers' database");
        await using var cluster = await LoadCluster.AttachAsync(postgres, options.ClusterId, options.ServiceId, options.TargetEndpoints);
        return options.Scenario switch
        {
            "flash-sale" => await FlashSaleScenario.RunAsync(cluster, new(options.Buyers, options.Skus, options.Stock, options.Bounds), progress),
            "checkout-mix" => await CheckoutMixScenario.RunAsync(cluster, options.Catalog, options.Bounds, progress),
            "catalog" => await CatalogScenario.RunAsync(cluster, options.Catalog, options.Bounds, progress),
            _ => throw new ArgumentException($"{options.Scenario} cannot run against running servers (--target): it needs servers or services the harness starts"),
        };
    }

    private static async Task<ScenarioResult> ReserveAsync(TestDatabase database, LoadOptions options, bool groupCommit, int writesInFlight, TextWriter? progress)
    {
        var settings = LoadCluster.DefaultSettings(groupCommit);
        settings["Inventory__WritesInFlight"] = writesInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var cluster = await LoadCluster.StartAsync(database.ConnectionString, 1, settings);
        return await ReserveScenario.RunAsync(cluster, options.Bounds, options.Stock, groupCommit, writesInFlight, progress);
    }
}
