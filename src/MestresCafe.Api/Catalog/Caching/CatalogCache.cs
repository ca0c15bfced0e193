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
/// <remarks>
/// Stock: product lists and a product's detail also carry <see cref="ProductListsTag"/> and
/// <see cref="ProductTag"/>, which a stock change across zero removes
/// (<see cref="CatalogStockInvalidation"/>). So the "in stock" flag a server answers is stale by at
/// most the projection's lag behind the inventory grain (the outbox pump runs as soon as the grain's
/// write commits: milliseconds, longer only while PostgreSQL is failing) plus the backplane's
/// delivery (milliseconds). Reservations that leave some stock, and hence nearly every reservation
/// of a hot item, invalidate nothing. With Redis unreachable the removal reaches only the server
/// that projected the change, and the others are stale by up to <see cref="CatalogOptions.LocalTtl"/>.
/// One narrow race remains: a cache miss that read PostgreSQL just before the projection committed
/// and stores its result just after the removal keeps the old flag until the entry expires.
/// </remarks>
public sealed class CatalogCache(
    [FromKeyedServices(CatalogCache.Name)] HybridCache cache,
    IFusionCacheProvider caches,
    IOptions<CatalogOptions> options,
    CacheMetrics metrics)
{
    public const string Name = "catalog";
    public const string Tag = "catalog";
    public const string ResponsePolicy = "catalog-responses";

    /// <summary>Every page of the product list: a product's stock changes its flag and the in-stock filter.</summary>
    public const string ProductListsTag = "catalog:product-lists";

    private static readonly string[] Tags = [Tag];

    /// <summary>A product's detail, by slug: the key it is cached under.</summary>
    public static string ProductTag(string slug) => "catalog:product:" + slug;

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

    /// <param name="tag">A tag beside <see cref="Tag"/> that removes this entry alone (stock changes).</param>
    public async ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CancellationToken cancellationToken, string? tag = null)
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
            tag is null ? Tags : [Tag, tag],
            cancellationToken);
        metrics.Record(CacheMetrics.Layers.Data, hit: !created);
        return value;
    }

    /// <summary>Drops every cached catalog entry and response on every server.</summary>
    public async Task InvalidateAsync(CancellationToken cancellationToken = default) =>
        await caches.GetCache(Name).RemoveByTagAsync(Tag, InvalidationOptions, cancellationToken);

    /// <summary>Drops, on every server, the entries cached with <paramref name="tag"/> (e.g. the payment methods).</summary>
    public async Task InvalidateTagAsync(string tag, CancellationToken cancellationToken = default) =>
        await caches.GetCache(Name).RemoveByTagAsync(tag, InvalidationOptions, cancellationToken);

    /// <summary>Drops, on every server, the product lists and the product's detail, data and responses.</summary>
    public async Task InvalidateStockOfAsync(string slug, CancellationToken cancellationToken = default) =>
        await caches.GetCache(Name).RemoveByTagAsync([ProductListsTag, ProductTag(slug)], InvalidationOptions, cancellationToken);
}
