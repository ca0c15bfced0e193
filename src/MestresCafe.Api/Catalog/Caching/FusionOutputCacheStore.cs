using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace MestresCafe.Api.Catalog.Caching;

/// <summary>
/// The output cache's store on the catalog's FusionCache instance, so that evicting a response tag
/// on one server (through the shared tag markers in Redis and the backplane) evicts it on all of
/// them: ASP.NET's own memory store would only forget it locally. With Redis down it degrades to
/// memory only, as the catalog data does.
/// </summary>
internal sealed class FusionOutputCacheStore(IFusionCacheProvider caches, CacheMetrics metrics, IOptions<CatalogOptions> options) : IOutputCacheStore
{
    private const string KeyPrefix = "response:";

    private readonly IFusionCache _cache = caches.GetCache(CatalogCache.Name);

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) =>
        await _cache.RemoveByTagAsync(tag, token: cancellationToken);

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await _cache.TryGetAsync<byte[]>(KeyPrefix + key, token: cancellationToken);
        metrics.Record(CacheMetrics.Layers.Response, entry.HasValue);
        return entry.HasValue ? entry.Value : null;
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var entryOptions = new FusionCacheEntryOptions
        {
            Duration = validFor,
            MemoryCacheDuration = validFor < options.Value.LocalTtl ? validFor : options.Value.LocalTtl,
            // A response is rebuilt identically by any server: no need to wait for Redis.
            AllowBackgroundDistributedCacheOperations = true,
        };
        await _cache.SetAsync(KeyPrefix + key, value, entryOptions, tags, cancellationToken);
    }
}
