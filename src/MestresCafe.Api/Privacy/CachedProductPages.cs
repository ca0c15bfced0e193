using MestresCafe.Api.Catalog.Caching;
using MestresCafe.Api.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace MestresCafe.Api.Privacy;

/// <summary>
/// Removes for good the cached pages of a product whose reviews named an erased customer. A tag
/// removal (what a catalog edit does) only makes the entries stale: their bytes stay in Redis
/// until they expire, and with them the reviewer's name. So the detail is removed by its key, and
/// the cached responses (keyed by host, path and query, which only ASP.NET knows) by their path.
/// </summary>
public sealed class CachedProductPages(
    IFusionCacheProvider caches, CatalogCache catalog, IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions, ILogger<CachedProductPages> logger)
{
    public async Task ForgetAsync(string slug)
    {
        // Every server's memory first (the tag travels on the backplane), then the Redis copies.
        await catalog.InvalidateStockOfAsync(slug, CancellationToken.None);
        await caches.GetCache(CatalogCache.Name).RemoveAsync("product:" + slug, token: CancellationToken.None);
        var path = "/PRODUCTS/" + slug.ToUpperInvariant();
        var pattern = redisOptions.Value.Key(CatalogCache.Name + ":") + "*response:*" + path + "*";
        try
        {
            foreach (var endpoint in redis.GetEndPoints())
            {
                var server = redis.GetServer(endpoint);
                if (server.IsReplica)
                {
                    continue;
                }

                await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000))
                {
                    // "/PRODUCTS/CAFE" must not take "/PRODUCTS/CAFE-MOKA": the path ends where the slug does.
                    var name = key.ToString();
                    var end = name.IndexOf(path, StringComparison.Ordinal) + path.Length;
                    if (end == name.Length || !(char.IsAsciiLetterOrDigit(name[end]) || name[end] == '-'))
                    {
                        await redis.GetDatabase().KeyDeleteAsync(key);
                    }
                }
            }
        }
        catch (RedisException error)
        {
            // Redis away: its copies expire with the response lifetime; the tag already hides them.
            logger.LogWarning(error, "Cached responses of {Slug} not removed after an erasure", slug);
        }
    }
}
