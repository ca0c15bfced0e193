using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace MestresCafe.LoadTest.Harness;

/// <summary>
/// The servers a run drives over HTTP, with an Orleans client that finds them through the same
/// PostgreSQL membership table (the invariant checker asks the grains). Either servers the harness
/// started itself on a database of the run's own (so that it may kill them), or running servers it
/// attached to (<c>--target</c>).
/// </summary>
public sealed class LoadCluster : IAsyncDisposable
{
    private readonly IHost _client;

    private LoadCluster(string clusterId, string postgres, NpgsqlDataSource db, List<ServerProcess> servers, IReadOnlyList<Uri> endpoints, IHost client, IDictionary<string, string> settings)
    {
        ClusterId = clusterId;
        Endpoints = endpoints;
        Postgres = postgres;
        Db = db;
        Servers = servers;
        _client = client;
        Settings = settings;
    }

    public string ClusterId { get; }
    public string Postgres { get; }
    public NpgsqlDataSource Db { get; }
    /// <summary>Servers this harness started and owns; empty when attached to running ones.</summary>
    public List<ServerProcess> Servers { get; }
    /// <summary>Base addresses of every server the run's HTTP traffic goes to.</summary>
    public IReadOnlyList<Uri> Endpoints { get; }
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

            var client = await StartClientAsync(postgres, clusterId, clusterId);
            return new LoadCluster(clusterId, postgres, NpgsqlDataSource.Create(postgres), started, [.. started.Select(s => s.BaseAddress)], client, settings);
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

    /// <summary>
    /// Running servers (for example started by scripts/run.sh with rate limits off): the run seeds
    /// its items and buyers into their database and drives them over HTTP; nothing is stopped.
    /// </summary>
    public static async Task<LoadCluster> AttachAsync(string postgres, string clusterId, string serviceId, IReadOnlyList<Uri> endpoints)
    {
        var client = await StartClientAsync(postgres, clusterId, serviceId);
        return new LoadCluster(clusterId, postgres, NpgsqlDataSource.Create(postgres), [], endpoints, client, new Dictionary<string, string>());
    }

    private static async Task<IHost> StartClientAsync(string postgres, string clusterId, string serviceId)
    {
        var client = new HostBuilder()
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", postgres));
            })
            .Build();
        await client.StartAsync();
        return client;
    }

    /// <summary>An HTTP client per server, so that traffic spreads over all of them round-robin.</summary>
    public HttpClient[] HttpClients(int perServer = 1) =>
        Endpoints.SelectMany(endpoint => Enumerable.Range(0, perServer).Select(_ => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) })).ToArray();

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
        // MC_LOAD_SERVER_LOGS=<folder> keeps each server's output, for looking into a failed run.
        var logs = Environment.GetEnvironmentVariable("MC_LOAD_SERVER_LOGS");
        foreach (var server in Servers)
        {
            if (!string.IsNullOrEmpty(logs))
            {
                Directory.CreateDirectory(logs);
                await File.WriteAllTextAsync(Path.Combine(logs, $"{ClusterId}-{server.HttpPort}.log"), server.Output);
            }

            await server.DisposeAsync();
        }

        await Db.DisposeAsync();
    }
}
