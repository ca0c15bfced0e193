using System.Text.Json;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Api.Catalog.Caching;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Data.Catalog;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace MestresCafe.Api.Catalog;

public static class CatalogHostingExtensions
{
    /// <summary>
    /// Catalog queries and stores, and the catalog cache: FusionCache as the HybridCache
    /// implementation (memory L1, Redis L2, Redis backplane so that an invalidation reaches the
    /// memory of every server), plus output caching of anonymous responses on the same cache.
    /// </summary>
    public static IHostApplicationBuilder AddMestresCatalog(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.Section)
            .Validate(o => o.DataTtl > TimeSpan.Zero && o.LocalTtl > TimeSpan.Zero && o.ResponseTtl > TimeSpan.Zero, "Catalog TTLs must be positive.")
            .ValidateOnStart();

        services.AddSingleton<ProductListQuery>();
        services.AddSingleton<ProductDetailQuery>();
        services.AddSingleton<CategoryTreeQuery>();
        services.AddSingleton<BrandListQuery>();
        services.AddSingleton<ReviewStore>();
        services.AddSingleton<MestresCafe.Data.Content.CourseCompletionStore>();
        services.AddSingleton<WishlistStore>();
        services.AddSingleton<BackInStockStore>();
        services.AddSingleton<CatalogAdminStore>();
        services.AddSingleton<CatalogWriter>();

        services.AddSingleton<CacheMetrics>();
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<ProductSlugQuery>();
        services.AddSingleton<MestresCafe.Inventory.IStorefrontStockListener, CatalogStockInvalidation>();
        services.AddFusionCache(CatalogCache.Name)
            .WithOptions((sp, options) =>
            {
                var redis = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
                // Channels are prefixed like keys, so environments sharing one Redis never evict each other's entries.
                options.BackplaneChannelPrefix = redis.Key(CatalogCache.Name);
                // Redis down: stop trying for a while instead of making every request wait for a timeout
                // (the guard's breaker does the same for every Redis call; this one is FusionCache's own).
                options.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(10);
                options.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(10);
            })
            .WithDefaultEntryOptions(entry =>
            {
                entry.Duration = TimeSpan.FromHours(1);
                entry.DistributedCacheHardTimeout = TimeSpan.FromSeconds(1);
            })
            .WithSerializer(new FusionCacheSystemTextJsonSerializer(JsonSerializerOptions.Web))
            .WithDistributedCache(sp => new GuardedDistributedCache(
                new RedisCache(Options.Create(new RedisCacheOptions
                {
                    InstanceName = sp.GetRequiredService<IOptions<RedisOptions>>().Value.Key(CatalogCache.Name + ":"),
                    ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()),
                })),
                sp.GetRequiredService<RedisGuard>()))
            // The backplane stays outside the guard: a publish is awaited only by a back-office write,
            // and a publish dropped because a busy server timed out early would leave the other servers
            // stale for LocalTtl. Its own breaker opens on the first failure (one client timeout).
            .WithBackplane(sp => new RedisBackplane(
                Options.Create(new RedisBackplaneOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()),
                }),
                sp.GetRequiredService<ILogger<RedisBackplane>>()))
            .AsKeyedHybridCache(CatalogCache.Name);

        var responseTtl = builder.Configuration.GetSection(CatalogOptions.Section).Get<CatalogOptions>()?.ResponseTtl ?? new CatalogOptions().ResponseTtl;
        services.AddOutputCache(options => options.AddPolicy(CatalogCache.ResponsePolicy, policy => policy
            .Expire(responseTtl)
            .SetVaryByQuery("*")
            .Tag(CatalogCache.Tag)
            .AddPolicy<CatalogResponseTags>()));
        services.AddSingleton<IOutputCacheStore, FusionOutputCacheStore>();
        return builder;
    }

    /// <summary>Storefront catalog, reviews, wishlist, catalog back office and the cache metrics.</summary>
    public static RouteGroupBuilder MapCatalogEndpoints(this RouteGroupBuilder api)
    {
        api.MapCatalogApi();
        api.MapReviewsApi();
        api.MapWishlistApi();
        api.MapBackInStockApi();
        api.MapCatalogAdminApi();
        api.MapCacheMetricsApi();
        return api;
    }
}
