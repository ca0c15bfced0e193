using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace MestresCafe.Grains;

public static class GrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// The grains' state store: ADO.NET grain storage in PostgreSQL, serialized with the Orleans
    /// binary serializer rather than the provider's JSON default. A hot inventory item writes its
    /// whole state (every live reservation) once per batch, so the cost of serializing it bounds
    /// reservations per second; the binary format is also the one the [Id] attributes version.
    /// </summary>
    public static ISiloBuilder AddMestresGrainStorage(this ISiloBuilder silo, string name, string connectionString) =>
        silo.AddAdoNetGrainStorage(name, options => options.Configure<IServiceProvider>((storage, services) =>
        {
            storage.Invariant = "Npgsql";
            storage.ConnectionString = connectionString;
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        }));
}
