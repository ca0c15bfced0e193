using MestresCafe.LoadTest.Faults;
using MestresCafe.Testing;
using Xunit;

namespace MestresCafe.LoadTest.Tests;

/// <summary>
/// Each fault scenario with small numbers: the fault must strike while buyers are checking out,
/// and afterwards nothing acknowledged may be lost or sold twice. Every scenario brings its own
/// servers (and its own PostgreSQL or Redis where it breaks them).
/// </summary>
public sealed class FaultSmokeTests
{
    private const int Buyers = 40;
    private const int StockPerSku = 10;
    private const int Skus = 2;

    // Ends when every buyer is done; the time bound only guards a cold, busy machine.
    private static LoadOptions Options(string scenario, int servers) =>
        new(scenario, Concurrency: 8, DurationSeconds: 90, Servers: servers, Buyers: Buyers, Stock: StockPerSku, Skus: Skus);

    [Fact]
    public async Task A_server_killed_mid_sale_loses_no_acknowledged_order()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("faultkill");
        var result = await KillServerFault.RunAsync(database.ConnectionString, Options("fault-kill-server", 2), progress: null);
        AssertFaultHeld(result);
    }

    [Fact]
    public async Task A_postgres_crash_and_restart_mid_sale_loses_no_acknowledged_order()
    {
        var result = await PostgresRestartFault.RunAsync(Options("fault-postgres-restart", 1), progress: null);
        AssertFaultHeld(result);
    }

    [Fact]
    public async Task A_redis_restart_mid_sale_is_invisible_to_buyers()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("faultredis");
        var result = await RedisRestartFault.RunAsync(database.ConnectionString, Options("fault-redis-restart", 1), progress: null);
        AssertFaultHeld(result);
        Assert.True(result.Operations.All(o => o.Errors == 0), result.ToTable());
    }

    private static void AssertFaultHeld(Metrics.ScenarioResult result)
    {
        Assert.True(result.Invariants!.Passed, result.ToTable());
        Assert.Contains(result.Invariants.Notes, n => n.StartsWith("fault injected", StringComparison.Ordinal));
        var sold = result.Operations.Single(o => o.Operation == "checkout").Ok;
        Assert.InRange(sold, 1, Skus * StockPerSku);
    }
}
