using MestresCafe.Grains.Orders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;

namespace MestresCafe.Grains;

public static class MestresSiloBuilderExtensions
{
    /// <summary>The ADO.NET providers load their queries for this invariant from the OrleansQuery table.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// Everything a silo needs to run the grains: their state and reminders in PostgreSQL, through
    /// the host's <see cref="NpgsqlDataSource"/> (one pool for the grains and the host's queries),
    /// and their services and options. The server and the test cluster both
    /// call this, so a test silo runs the grains the way production does; the caller adds only what
    /// differs per host (clustering, endpoints, membership timings).
    /// </summary>
    public static ISiloBuilder AddMestresGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.AddMestresGrainStorage(StorageNames.Store);
        silo.UseAdoNetReminderService(reminders => reminders.Invariant = AdoNetInvariant);
        silo.Services.AddOptions<AdoNetReminderTableOptions>()
            .Configure<NpgsqlDataSource>((reminders, dataSource) => reminders.DataSource = dataSource);
        // No stream provider: a grain event another grain must not miss (order to loyalty) is
        // delivered from the producer's outbox by a direct call, repeated until the consumer
        // acknowledges after its state write. A stream added later for such a consumer must be
        // persistent, with its pub-sub store in PostgreSQL.
        silo.Services.AddMestresGrains(configuration);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, OrderSweeperStartup>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Scheduling.SchedulerStartup>();
        return silo;
    }
}
