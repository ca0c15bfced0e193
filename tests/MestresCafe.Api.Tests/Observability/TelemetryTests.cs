using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Observability;

public sealed class TelemetryHostFixture : IAsyncLifetime
{
    public const string Token = "metrics-scrape-token-for-the-telemetry-tests";

    public ApiTestHost Host { get; } = new ApiTestHost()
        .With("RateLimits:Enabled", "false")
        .With("Telemetry:MetricsBearerToken", Token)
        .With("Telemetry:GaugeInterval", "00:00:01");

    public Task InitializeAsync() => Host.InitializeAsync();

    public Task DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// /metrics in Prometheus text, behind its token, with the framework's and the product's own
/// instruments; the trace id a request ran under in its problem details. The product's meters are
/// process-wide and other test classes' servers run beside this one, so a series is asserted to be
/// there with a value, not to hold an exact count.
/// </summary>
public sealed class TelemetryTests(TelemetryHostFixture fixture) : IClassFixture<TelemetryHostFixture>
{
    private readonly ApiTestHost _host = fixture.Host;

    [Fact]
    public async Task Metrics_are_refused_without_the_bearer_token()
    {
        using var client = _host.CreateClient();
        using var none = await client.GetAsync("/metrics");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TelemetryHostFixture.Token + "x");
        using var wrongAnswer = await client.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAnswer.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_checkout_shows_in_the_scraped_metrics_beside_the_frameworks_instruments()
    {
        using var customer = await _host.CreateSignedInClientAsync();
        using var checkout = await Storefront.CheckoutOneItemAsync(_host, customer.Http, 25m, null, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        using var refused = await Storefront.CheckoutOneItemAsync(_host, customer.Http, 25m, "NO-SUCH-COUPON", Guid.NewGuid().ToString());
        Assert.NotEqual(HttpStatusCode.Created, refused.StatusCode);

        string text = "";
        // The gauges read PostgreSQL on their own schedule (every second here).
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            text = await ScrapeAsync();
            return text.Contains("mestrescafe_mail_queued", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20)), "the gauges never appeared");

        Assert.True(ValueOf(text, "mestrescafe_checkouts_total", "outcome=\"created\"") >= 1, text);
        Assert.True(ValueOf(text, "mestrescafe_inventory_reservations_total", "outcome=\"reserved\"") >= 1, text);
        Assert.True(ValueOf(text, "mestrescafe_checkout_refusals_total", "reason=\"coupon_") >= 1, text);
        Assert.True(ValueOf(text, "mestrescafe_projection_lag_seconds_count", "") >= 1, text);
        Assert.Contains("mestrescafe_outbox_pending", text, StringComparison.Ordinal);
        Assert.Contains("mestrescafe_projection_dead_letters_unresolved", text, StringComparison.Ordinal);
        Assert.Contains("mestrescafe_partitions_default_rows", text, StringComparison.Ordinal);
        // ASP.NET Core, Npgsql, Orleans and the runtime.
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("db_client_", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Problem_details_carry_the_trace_id_the_request_ran_under()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/no-such-product-" + Guid.NewGuid().ToString("N"));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await client.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(traceId, problem.GetProperty("traceId").GetString());
    }

    private async Task<string> ScrapeAsync()
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TelemetryHostFixture.Token);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static double ValueOf(string exposition, string metric, string label) => exposition.Split('\n')
        .Where(line => line.StartsWith(metric, StringComparison.Ordinal) && (line.Length > metric.Length && line[metric.Length] is '{' or ' ')
            && line.Contains(label, StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : metric.Length)..].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture));
}
