using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Observability;

/// <summary>
/// The alert rules in deploy/prometheus load into Debian's Prometheus and pass their promtool unit
/// tests, and a real Prometheus scrapes a real server's /metrics with the bearer token and answers a
/// query for a product metric. Without the prometheus package these fail saying how to install it.
/// </summary>
public sealed class PrometheusTests
{
    private const string Token = "prometheus-test-scrape-token-0123456789";
    private static readonly string RulesFolder = Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "prometheus");

    [Fact]
    public async Task The_alert_rules_pass_promtool_check_rules()
    {
        var (exit, output) = await PrometheusProcess.PromtoolAsync(RulesFolder, "check", "rules", "alerts.yml");

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 10 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alert_rules_pass_their_promtool_unit_tests()
    {
        var (exit, output) = await PrometheusProcess.PromtoolAsync(RulesFolder, "test", "rules", "alerts.test.yml", "alerts.backup.test.yml");

        Assert.True(exit == 0, output);
        Assert.Equal(2, output.Split('\n').Count(line => line.Trim() == "SUCCESS"));
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_a_server_and_answers_a_query_for_a_product_metric()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(nameof(PrometheusTests));
        await using var server = await ServerProcess.StartAsync(database.ConnectionString, "prom-" + Guid.NewGuid().ToString("N")[..8], settings: new Dictionary<string, string>
        {
            ["Database__MigrateOnStartup"] = "false",
            ["Telemetry__MetricsBearerToken"] = Token,
            ["Telemetry__GaugeInterval"] = "00:00:01",
            ["Redis__KeyPrefix"] = "test:" + Guid.NewGuid().ToString("N")[..10] + ":",
        });
        await using var prometheus = await PrometheusProcess.StartAsync(folder =>
        {
            File.WriteAllText(Path.Combine(folder, "token"), Token);
            return $"""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - {Path.Combine(RulesFolder, "alerts.yml")}
                scrape_configs:
                  - job_name: mestrescafe
                    authorization:
                      credentials_file: {Path.Combine(folder, "token")}
                    static_configs:
                      - targets: ['127.0.0.1:{server.HttpPort}']
                """;
        });
        using var http = new HttpClient { BaseAddress = prometheus.BaseAddress };

        JsonElement result = default;
        var answered = await Eventually.TrueAsync(async () =>
        {
            var body = await http.GetFromJsonAsync<JsonElement>("api/v1/query?query=" + Uri.EscapeDataString("mestrescafe_partitions_default_rows{job=\"mestrescafe\"}"));
            result = body.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(60));

        Assert.True(answered, "Prometheus never had the product metric.\n" + prometheus.Output);
        var sample = Assert.Single(result.EnumerateArray());
        Assert.Equal($"127.0.0.1:{server.HttpPort}", sample.GetProperty("metric").GetProperty("instance").GetString());
        // A freshly migrated database: no row in any default partition.
        Assert.Equal("0", sample.GetProperty("value")[1].GetString());
        var up = await http.GetFromJsonAsync<JsonElement>("api/v1/query?query=" + Uri.EscapeDataString("up{job=\"mestrescafe\"}"));
        Assert.Equal("1", Assert.Single(up.GetProperty("data").GetProperty("result").EnumerateArray()).GetProperty("value")[1].GetString());
        var rules = await http.GetFromJsonAsync<JsonElement>("api/v1/rules");
        Assert.Equal(10, rules.GetProperty("data").GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("rules").GetArrayLength()));
    }
}
