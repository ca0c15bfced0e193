using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MestresCafe.Grains.Storage;

public static class GrainStorageDecoration
{
    /// <summary>
    /// Wraps the named grain storage registered before this call: the wrapper is registered after
    /// the original, so it is the one resolved by name (grains, the storage's lifecycle
    /// registration, InventoryLog). Wrappers stack in the order they are added, the last outermost.
    /// </summary>
    public static ISiloBuilder DecorateGrainStorage(this ISiloBuilder silo, string storageName, Func<IServiceProvider, IGrainStorage, IGrainStorage> decorate)
    {
        var registered = silo.Services.LastOrDefault(d =>
            d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, storageName) && d.KeyedImplementationFactory is not null)
            ?? throw new InvalidOperationException($"Register the grain storage '{storageName}' first.");
        var create = registered.KeyedImplementationFactory!;
        silo.Services.AddKeyedSingleton<IGrainStorage>(storageName, (services, key) => decorate(services, (IGrainStorage)create(services, key)));
        return silo;
    }
}
