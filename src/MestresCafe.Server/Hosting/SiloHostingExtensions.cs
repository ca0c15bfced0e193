using MestresCafe.Data.Connections;
using MestresCafe.Grains;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MestresCafe.Server.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Co-hosts an Orleans silo: membership, grain state and reminders in PostgreSQL through the
    /// ADO.NET providers, ports and cluster identity from configuration. Grain state and reminders
    /// use the server's data source; membership has a small pool of its own.
    /// </summary>
    public static WebApplicationBuilder AddMestresSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrleansHostOptions>()
            .BindConfiguration(OrleansHostOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
        var postgres = builder.Configuration.GetRequiredConnectionString("Postgres");
        var membership = PostgresPoolOptions.From(builder.Configuration).MembershipConnectionString(postgres);

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
                clustering.Invariant = MestresSiloBuilderExtensions.AdoNetInvariant;
                clustering.ConnectionString = membership;
            });
            silo.AddMestresGrains(builder.Configuration);
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

        return builder;
    }

    public static string GetRequiredConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new OptionsValidationException(name, typeof(string), [$"ConnectionStrings:{name} is required."]);
}
