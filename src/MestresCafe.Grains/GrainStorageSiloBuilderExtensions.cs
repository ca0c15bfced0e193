using Microsoft.Extensions.DependencyInjection;
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
        .TranslateStorageFailures(name);
}
