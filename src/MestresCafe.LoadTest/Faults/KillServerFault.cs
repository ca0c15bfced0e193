using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Metrics;
using MestresCafe.LoadTest.Scenarios;

namespace MestresCafe.LoadTest.Faults;

/// <summary>
/// A flash sale over two servers the harness started, one of which it kills with SIGKILL a third of
/// the way in. Clients retry on the survivor with the same Idempotency-Key; the invariant checker
/// then asks whether anything acknowledged was lost or sold twice.
/// </summary>
public static class KillServerFault
{
    public static async Task<ScenarioResult> RunAsync(string postgres, LoadOptions options, TextWriter? progress)
    {
        await using var cluster = await LoadCluster.StartAsync(postgres, Math.Max(2, options.Servers), LoadCluster.DefaultSettings(true));
        var settings = new FlashSaleScenario.Settings(options.Buyers, options.Skus, options.Stock, options.Bounds, c =>
        {
            progress?.WriteLine($"killing server on port {c.Servers[^1].HttpPort}");
            c.Servers[^1].Kill();
            return Task.CompletedTask;
        });
        var result = await FlashSaleScenario.RunAsync(cluster, settings, progress);
        return result with { Scenario = "fault-kill-server" };
    }
}
