using MestresCafe.Grains.Loyalty;
using Microsoft.Extensions.Configuration;

namespace MestresCafe.Grains;

public static class MestresSiloBuilderExtensions
{
    /// <summary>The ADO.NET providers load their queries for this invariant from the OrleansQuery table.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// Everything a silo needs to run the grains: their state and reminders in PostgreSQL, the
    /// streams between them, and their services and options. The server and the test cluster both
    /// call this, so a test silo runs the grains the way production does; the caller adds only what
    /// differs per host (clustering, endpoints, membership timings).
    /// </summary>
    public static ISiloBuilder AddMestresGrains(this ISiloBuilder silo, string postgres, IConfiguration configuration)
    {
        silo.AddMestresGrainStorage(StorageNames.Store, postgres);
        silo.UseAdoNetReminderService(reminders =>
        {
            reminders.Invariant = AdoNetInvariant;
            reminders.ConnectionString = postgres;
        });
        // Domain events between grains (order to loyalty). Consumers that must not miss an event
        // are also confirmed from the producer's outbox, so in-memory queues are enough here.
        silo.AddMemoryStreams(LoyaltyStreams.Provider);
        silo.AddAdoNetGrainStorage("PubSubStore", storage =>
        {
            storage.Invariant = AdoNetInvariant;
            storage.ConnectionString = postgres;
        });
        silo.Services.AddMestresGrains(configuration);
        return silo;
    }
}
