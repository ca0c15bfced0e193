using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Metrics;
using MestresCafe.LoadTest.Scenarios;
using MestresCafe.Testing;

namespace MestresCafe.LoadTest.Faults;

/// <summary>
/// Checkout traffic over the servers (--servers) whose Redis (a private one the harness started) is stopped a
/// third of the way in and started again, empty, after a few seconds. Redis holds no record of
/// anything: sessions fall back to PostgreSQL and caches refill, so clients should see no errors
/// at all, and the invariant checker must pass.
/// </summary>
public static class RedisRestartFault
{
    public static readonly TimeSpan Downtime = TimeSpan.FromSeconds(3);

    public static async Task<ScenarioResult> RunAsync(string postgres, LoadOptions options, TextWriter? progress)
    {
        using var redis = await RedisServerProcess.StartAsync();
        await using var cluster = await LoadCluster.StartAsync(postgres, options.Servers, LoadCluster.DefaultSettings(true), redis.ConnectionString);
        var settings = new FlashSaleScenario.Settings(options.Buyers, options.Skus, options.Stock, options.Bounds, async _ =>
        {
            progress?.WriteLine($"stopping Redis at {redis.Endpoint} for {Downtime.TotalSeconds:0} s");
            redis.Stop();
            await Task.Delay(Downtime);
            await redis.StartAgainAsync();
            progress?.WriteLine("Redis is back (empty)");
        });
        var result = await FlashSaleScenario.RunAsync(cluster, settings, progress);
        return result with { Scenario = "fault-redis-restart" };
    }
}
