using MestresCafe.Inventory;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace MestresCafe.Api.Tests.Cluster;

/// <summary>
/// Two servers started as separate processes on one machine form one cluster through PostgreSQL
/// membership, and grain state written through one survives that server being killed.
/// </summary>
public sealed class TwoServerClusterTests : IAsyncLifetime
{
    private readonly string _clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(TwoServerClusterTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Two_servers_form_one_cluster_and_state_survives_a_killed_server()
    {
        await using var first = await ServerProcess.StartAsync(_database.ConnectionString, _clusterId);
        await using var second = await ServerProcess.StartAsync(_database.ConnectionString, _clusterId);

        Assert.Equal(2, await _database.ScalarAsync<int>(
            "select count(*) from orleansmembershiptable where deploymentid = $1 and status = 3", _clusterId));

        using var client = await ConnectClientAsync();
        var grains = client.Services.GetRequiredService<IGrainFactory>();
        var skus = Enumerable.Range(0, 24).Select(i => $"KILL-TEST-{i}").ToList();
        foreach (var sku in skus)
        {
            await _database.InsertItemAsync(sku, stock: 0);
            await grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku)).RestockAsync(10 + skus.IndexOf(sku), "initial");
        }

        // With 24 grains spread over two silos, the killed one hosted some of them; they reactivate
        // on the survivor from PostgreSQL.
        first.Kill();
        using var http = new HttpClient { BaseAddress = second.BaseAddress };
        foreach (var sku in skus)
        {
            var snapshot = await GetWithRetryAsync(http, sku);
            Assert.Equal(10 + skus.IndexOf(sku), snapshot.Available);
        }
    }

    private static async Task<Availability> GetWithRetryAsync(HttpClient http, string sku)
    {
        // Calls to the dead silo's grains fail until membership declares it dead (seconds).
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync($"/api/inventory/{sku}/availability");
                if (response.IsSuccessStatusCode)
                {
                    return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Availability>(response.Content))!;
                }
            }
            catch (TaskCanceledException)
            {
            }

            if (attempt > 60)
            {
                throw new TimeoutException($"inventory {sku} not readable on the surviving server");
            }

            await Task.Delay(500);
        }
    }

    private async Task<IHost> ConnectClientAsync()
    {
        var host = Host.CreateDefaultBuilder()
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (_clusterId, _clusterId));
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = _database.ConnectionString;
                });
            })
            .Build();
        await host.StartAsync();
        return host;
    }

    private sealed record Availability(string Sku, int Available);
}
