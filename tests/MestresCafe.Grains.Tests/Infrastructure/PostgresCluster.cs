using MestresCafe.Grains;
using MestresCafe.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.TestingHost;

namespace MestresCafe.Grains.Tests.Infrastructure;

/// <summary>
/// An in-process cluster of silos whose grain state and reminders live in a PostgreSQL database of
/// its own, migrated with the project's schema: persistence is real, not in memory.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private PostgresCluster(TestDatabase database, InProcessTestCluster cluster)
    {
        Database = database;
        Cluster = cluster;
    }

    public TestDatabase Database { get; }
    public InProcessTestCluster Cluster { get; }
    public IClusterClient Client => Cluster.Client;

    /// <param name="configure">Extra silo configuration applied last (e.g. a controlled clock, a shorter reminder period).</param>
    public static async Task<PostgresCluster> StartAsync(
        string purpose, short silos = 2, IDictionary<string, string?>? settings = null, Action<ISiloBuilder>? configure = null)
    {
        var database = await TestDatabase.CreateMigratedAsync(purpose);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(NpgsqlDataSource.Create(database.ConnectionString));
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(TestEnvironment.ServerSecrets.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
                .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
                .Build();
            silo.AddMestresGrains(configuration);
            configure?.Invoke(silo);
        });
        if (Environment.GetEnvironmentVariable("MC_TEST_SILO_LOGS") is { Length: > 0 } logFile)
        {
            // Silo logs for debugging a failing test: MC_TEST_SILO_LOGS=path.
            builder.ConfigureSiloHost((_, host) => host.Logging.AddProvider(new FileLoggerProvider(logFile)));
        }

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PostgresCluster(database, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}
