using MestresCafe.Grains;
using MestresCafe.Grains.Loyalty;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MestresCafe.Server.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>The ADO.NET providers load their queries for this invariant from the OrleansQuery table.</summary>
    private const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// Co-hosts an Orleans silo: membership, grain state and reminders in PostgreSQL through the
    /// ADO.NET providers, ports and cluster identity from configuration.
    /// </summary>
    public static WebApplicationBuilder AddMestresSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrleansHostOptions>()
            .BindConfiguration(OrleansHostOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
        var postgres = builder.Configuration.GetRequiredConnectionString("Postgres");

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            silo.ConfigureEndpoints(options.ResolveAdvertisedAddress(), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: string.IsNullOrWhiteSpace(options.AdvertisedIP));
            silo.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = AdoNetInvariant;
                clustering.ConnectionString = postgres;
            });
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
            // A killed silo is declared dead within seconds rather than the default minute or so.
            silo.Configure<ClusterMembershipOptions>(membership =>
            {
                membership.ProbeTimeout = TimeSpan.FromSeconds(2);
                membership.NumMissedProbesLimit = 2;
                membership.NumVotesForDeathDeclaration = 1;
                membership.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                membership.DefunctSiloExpiration = TimeSpan.FromHours(1);
            });
        });

        builder.Services.AddMestresGrains(builder.Configuration);
        return builder;
    }

    public static string GetRequiredConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new OptionsValidationException(name, typeof(string), [$"ConnectionStrings:{name} is required."]);
}
