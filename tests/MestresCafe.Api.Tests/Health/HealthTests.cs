using System.Net;
using System.Text.Json;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Health;

public sealed class HealthTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(HealthTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Ready_is_healthy_with_postgres_and_redis_up()
    {
        await using var server = await ServerProcess.StartAsync(_database.ConnectionString, "health-" + Guid.NewGuid().ToString("N")[..8]);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var (status, body) = await GetReadyAsync(http);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_redis_down_ready_reports_degraded_and_the_api_still_answers()
    {
        // A Redis of this test's own, so stopping it disturbs no other test.
        using var redis = await RedisServerProcess.StartAsync();
        await _database.InsertItemAsync("HEALTH-ITEM", stock: 5);
        await using var server = await ServerProcess.StartAsync(_database.ConnectionString, "health-" + Guid.NewGuid().ToString("N")[..8], redis: redis.ConnectionString);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal("Healthy", (await GetReadyAsync(http)).Body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

        redis.Stop();
        var (status, body) = await GetReadyAsync(http);
        using var inventory = await http.GetAsync("/api/inventory/HEALTH-ITEM/availability");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        Assert.Equal("Degraded", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, inventory.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready");
        var json = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }
}
