using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace MestresCafe.LoadTest.Harness;

/// <summary>
/// Servers the harness started itself (so it may kill them), on a database of the run's own, with
/// an Orleans client that finds them through the same PostgreSQL membership table.
/// </summary>
public sealed class LoadCluster : IAsyncDisposable
{
    private readonly IHost _client;

    private LoadCluster(string clusterId, string postgres, NpgsqlDataSource db, List<ServerProcess> servers, IHost client, IDictionary<string, string> settings)
    {
        ClusterId = clusterId;
        Postgres = postgres;
        Db = db;
        Servers = servers;
        _client = client;
        Settings = settings;
    }

    public string ClusterId { get; }
    public string Postgres { get; }
    public NpgsqlDataSource Db { get; }
    public List<ServerProcess> Servers { get; }
    public IDictionary<string, string> Settings { get; }
    public IGrainFactory Grains => _client.Services.GetRequiredService<IClusterClient>();

    /// <summary>Settings every load run needs: no rate limits (one loopback IP is every buyer).</summary>
    public static Dictionary<string, string> DefaultSettings(bool groupCommit) => new()
    {
        ["RateLimits__Enabled"] = "false",
        ["Inventory__GroupCommit"] = groupCommit ? "true" : "false",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Database__MigrateOnStartup"] = "false",
    };

    public static async Task<LoadCluster> StartAsync(string postgres, int servers, IDictionary<string, string> settings, string? redis = null)
    {
        var clusterId = "load-" + Guid.NewGuid().ToString("N")[..8];
        var started = new List<ServerProcess>();
        try
        {
            // One at a time: the first creates the membership version row the others join.
            for (var i = 0; i < servers; i++)
            {
                started.Add(await ServerProcess.StartAsync(postgres, clusterId, redis, settings, TimeSpan.FromSeconds(90)));
            }

            var client = new HostBuilder()
                .UseOrleansClient(client =>
                {
                    client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
                    client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", postgres));
                })
                .Build();
            await client.StartAsync();
            return new LoadCluster(clusterId, postgres, NpgsqlDataSource.Create(postgres), started, client, settings);
        }
        catch
        {
            foreach (var server in started)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>An HTTP client per server, so that traffic spreads over all of them round-robin.</summary>
    public HttpClient[] HttpClients(int perServer = 1) =>
        Servers.SelectMany(s => Enumerable.Range(0, perServer).Select(_ => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { BaseAddress = s.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })).ToArray();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The servers may already be gone (fault runs); nothing to flush.
        }

        _client.Dispose();
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }

        await Db.DisposeAsync();
    }
}
