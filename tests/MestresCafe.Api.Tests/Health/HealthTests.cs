using System.Diagnostics;
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
        using var redis = PrivateRedis.Start();
        await _database.InsertItemAsync("HEALTH-ITEM", stock: 5);
        await using var server = await ServerProcess.StartAsync(_database.ConnectionString, "health-" + Guid.NewGuid().ToString("N")[..8], redis: redis.Endpoint);
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

    private sealed class PrivateRedis : IDisposable
    {
        private readonly Process _process;

        private PrivateRedis(Process process, int port)
        {
            _process = process;
            Endpoint = $"127.0.0.1:{port}";
        }

        public string Endpoint { get; }

        public static PrivateRedis Start()
        {
            var port = FreePort.Next();
            var process = Process.Start(new ProcessStartInfo("redis-server",
                ["--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var redis = new PrivateRedis(process, port);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    using var socket = new System.Net.Sockets.TcpClient("127.0.0.1", port);
                    return redis;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    Thread.Sleep(50);
                }
            }

            redis.Dispose();
            throw new TimeoutException("private redis-server did not start");
        }

        public void Stop()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Stop();
            _process.Dispose();
        }
    }
}
