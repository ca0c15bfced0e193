using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Observability;

public sealed class SystemLogsHostFixture : IAsyncLifetime
{
    public ApiTestHost Host { get; } = new ApiTestHost()
        .With("RateLimits:Enabled", "false")
        .With("SystemHealth:Interval", "00:00:01");

    public Task InitializeAsync() => Host.InitializeAsync();

    public Task DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Warnings and errors copied into system_logs with their trace id and searched by staff; each server's health snapshots.</summary>
public sealed class SystemLogsAndHealthTests(SystemLogsHostFixture fixture) : IClassFixture<SystemLogsHostFixture>
{
    private readonly ApiTestHost _host = fixture.Host;

    [Fact]
    public async Task A_warning_logged_under_a_trace_is_searchable_by_text_trace_id_and_level()
    {
        var marker = "sonda-" + Guid.NewGuid().ToString("N")[..12];
        var logger = _host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MestresCafe.Tests.Probe");
        string traceId;
        using (var activity = new Activity("probe").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            traceId = activity.TraceId.ToHexString();
            logger.LogWarning("Estoque divergente {Marker} no lote {Lot}", marker, 42);
            logger.LogInformation("Only information {Marker}", marker);
        }

        using var admin = await _host.CreateSignedInClientAsync("admin");
        JsonElement found = default;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            found = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/system-logs?text={marker}");
            return found.GetProperty("items").GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(20)), "the warning never reached system_logs");

        var row = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal("warning", row.GetProperty("level").GetString());
        Assert.Equal($"Estoque divergente {marker} no lote 42", row.GetProperty("message").GetString());
        Assert.Equal("MestresCafe.Tests.Probe", row.GetProperty("category").GetString());
        Assert.Equal(traceId, row.GetProperty("traceId").GetString());
        Assert.Equal("42", row.GetProperty("context").GetProperty("Lot").GetString());

        var byTrace = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/system-logs?traceId={traceId}");
        var errorsOnly = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/system-logs?text={marker}&level=error");
        var withInformation = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/system-logs?text={marker}&level=information");
        var past = await admin.Http.GetFromJsonAsync<JsonElement>(
            $"/api/admin/system-logs?text={marker}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}");
        Assert.Equal(marker, Assert.Single(byTrace.GetProperty("items").EnumerateArray()).GetProperty("context").GetProperty("Marker").GetString());
        Assert.Equal(0, errorsOnly.GetProperty("items").GetArrayLength());
        // Information is below the stored minimum (warning): asking for it finds only the warning.
        Assert.Equal(1, withInformation.GetProperty("items").GetArrayLength());
        Assert.Equal(0, past.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_search_pages_newest_first()
    {
        var marker = "pagina-" + Guid.NewGuid().ToString("N")[..12];
        var logger = _host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MestresCafe.Tests.Probe");
        for (var i = 1; i <= 3; i++)
        {
            logger.LogError("Falha {Marker} número {N}", marker, i);
        }

        using var admin = await _host.CreateSignedInClientAsync("admin");
        Assert.True(await Eventually.TrueAsync(async () =>
            (await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/system-logs?text={marker}&pageSize=10")).GetProperty("items").GetArrayLength() == 3,
            TimeSpan.FromSeconds(20)));

        var first = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/system-logs?text={marker}&pageSize=2");
        var second = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/system-logs?text={marker}&pageSize=2&page=2");

        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.False(second.GetProperty("hasMore").GetBoolean());
        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(ids.OrderByDescending(id => id), ids);
    }

    [Fact]
    public async Task Bad_search_input_is_a_400_and_staff_without_the_permission_get_403()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var manager = await _host.CreateSignedInClientAsync("manager");

        using var level = await admin.Http.GetAsync("/api/admin/system-logs?level=loud");
        using var trace = await admin.Http.GetAsync("/api/admin/system-logs?traceId=xyz");
        using var range = await admin.Http.GetAsync("/api/admin/system-logs?from=2026-12-02T10:00:00Z&to=2026-12-01T10:00:00Z");
        using var size = await admin.Http.GetAsync("/api/admin/system-logs?pageSize=1000");
        using var logs = await manager.Http.GetAsync("/api/admin/system-logs");
        using var health = await manager.Http.GetAsync("/api/admin/system-health");

        Assert.True((await AssertProblemAsync(level, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("level", out _));
        Assert.True((await AssertProblemAsync(trace, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("traceId", out _));
        Assert.True((await AssertProblemAsync(range, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("from", out _));
        Assert.True((await AssertProblemAsync(size, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("pageSize", out _));
        await AssertProblemAsync(logs, HttpStatusCode.Forbidden);
        await AssertProblemAsync(health, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Each_server_writes_health_snapshots_of_its_services_that_the_back_office_reads()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        JsonElement health = default;
        string[] services = ["postgres", "read_side", "redis", "silo", "smtp"];
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            health = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/system-health");
            return health.GetProperty("services").GetArrayLength() == services.Length;
        }, TimeSpan.FromSeconds(20)), "no complete snapshot was written");

        var rows = health.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("serviceName").GetString()!);
        Assert.Equal(services, rows.Keys.Order().ToArray());
        Assert.Single(rows.Values.Select(r => r.GetProperty("serverName").GetString()).Distinct());
        Assert.Equal("healthy", rows["postgres"].GetProperty("status").GetString());
        Assert.Equal("healthy", rows["silo"].GetProperty("status").GetString());
        // The test servers send no mail: said, not hidden.
        Assert.Equal("degraded", rows["smtp"].GetProperty("status").GetString());
        Assert.True(rows["read_side"].GetProperty("metrics").TryGetProperty("outboxPending", out _));
        // The overall status is the worst of the services'.
        Assert.NotEqual("healthy", health.GetProperty("status").GetString());

        var history = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/system-health/postgres");
        Assert.All(history.EnumerateArray(), r => Assert.Equal("postgres", r.GetProperty("serviceName").GetString()));
        Assert.True(history.GetArrayLength() >= 1);
    }
}
