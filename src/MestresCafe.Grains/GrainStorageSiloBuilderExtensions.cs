using Microsoft.Extensions.DependencyInjection;
using MestresCafe.Data.GrainState;
using MestresCafe.Grains.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace MestresCafe.Grains;

public static class GrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// The grains' state store: ADO.NET grain storage in PostgreSQL, serialized with the Orleans
    /// binary serializer rather than the provider's JSON default: it is smaller and cheaper to
    /// produce (a hot inventory item's snapshot holds every live reservation), and it is the format
    /// the [Id] attributes version. Connections come from the host's <see cref="NpgsqlDataSource"/>,
    /// so grain state shares the server's one pool. Database failures leave the grains as
    /// <see cref="GrainStateUnavailableException"/> (<see cref="DatabaseFailureBoundary"/>).
    /// </summary>
    public static ISiloBuilder AddMestresGrainStorage(this ISiloBuilder silo, string name) =>
        silo.AddAdoNetGrainStorage(name, options => options.Configure<IServiceProvider>((storage, services) =>
        {
            storage.Invariant = MestresSiloBuilderExtensions.AdoNetInvariant;
            storage.DataSource = services.GetRequiredService<NpgsqlDataSource>();
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        }))
        .BatchStateWrites(name)
        .TranslateStorageFailures(name);

    /// <summary>
    /// Sends the named storage's writes through one <see cref="GrainStateWriteBatcher"/> per silo
    /// (<see cref="GrainStorageOptions.BatchWrites"/>), so concurrent grains share transactions.
    /// </summary>
    private static ISiloBuilder BatchStateWrites(this ISiloBuilder silo, string name)
    {
        silo.Services.AddSingleton<GrainStateBatchStore>();
        silo.Services.AddKeyedSingleton<GrainStateWriteBatcher>(name, (services, _) =>
            new GrainStateWriteBatcher(services.GetRequiredService<GrainStateBatchStore>(), services.GetRequiredService<IOptions<GrainStorageOptions>>()));
        return silo.DecorateGrainStorage(name, (services, provider) =>
            services.GetRequiredService<IOptions<GrainStorageOptions>>().Value.BatchWrites
                ? new BatchingGrainStorage(
                    provider,
                    services.GetRequiredKeyedService<GrainStateWriteBatcher>(name),
                    services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(name),
                    services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                    name)
                : provider);
    }
}
