using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace MestresCafe.Api.Catalog.Caching;

/// <summary>
/// Catalog data through the multi-level cache (memory, then Redis, then PostgreSQL). Every entry,
/// data and responses alike, carries the tag <see cref="Tag"/>; a back-office change removes the
/// tag, which the Redis backplane carries to the memory cache of every server.
/// </summary>
public sealed class CatalogCache(
    [FromKeyedServices(CatalogCache.Name)] HybridCache cache,
    IFusionCacheProvider caches,
    IOptions<CatalogOptions> options,
    CacheMetrics metrics)
{
    public const string Name = "catalog";
    public const string Tag = "catalog";
    public const string ResponsePolicy = "catalog-responses";

    private static readonly string[] Tags = [Tag];

    // The invalidation is published before the write's response goes out, so that a client which
    // saw its change acknowledged never reads the old value from another server's memory later.
    private static readonly FusionCacheEntryOptions InvalidationOptions = new()
    {
        AllowBackgroundDistributedCacheOperations = false,
        AllowBackgroundBackplaneOperations = false,
    };

    private readonly HybridCacheEntryOptions _entryOptions = new()
    {
        Expiration = options.Value.DataTtl,
        LocalCacheExpiration = options.Value.LocalTtl,
    };

    public bool Enabled => options.Value.Caching;

    public async ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return await factory(cancellationToken);
        }

        var created = false;
        var value = await cache.GetOrCreateAsync(
            key,
            async token =>
            {
                created = true;
                return await factory(token);
            },
            _entryOptions,
            Tags,
            cancellationToken);
        metrics.Record(CacheMetrics.Layers.Data, hit: !created);
        return value;
    }

    /// <summary>Drops every cached catalog entry and response on every server.</summary>
    public async Task InvalidateAsync(CancellationToken cancellationToken = default) =>
        await caches.GetCache(Name).RemoveByTagAsync(Tag, InvalidationOptions, cancellationToken);
}
