using MestresCafe.Api.Infrastructure;
using Microsoft.Extensions.Caching.Distributed;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane;

namespace MestresCafe.Api.Catalog.Caching;

/// <summary>
/// The catalog cache's Redis layer under <see cref="RedisGuard"/>: a slow or hung Redis fails the
/// call after the guard's short timeout, and FusionCache then serves from memory or PostgreSQL and
/// stops using Redis for its own break. FusionCache's own timeouts do not open its breaker, so
/// without this every cache miss would wait the whole timeout while Redis hangs.
/// </summary>
internal sealed class GuardedDistributedCache(IDistributedCache inner, RedisGuard guard) : IDistributedCache
{
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        guard.ExecuteAsync(t => inner.GetAsync(key, t), token);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        guard.ExecuteAsync(t => inner.SetAsync(key, value, options, t), token);

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        guard.ExecuteAsync(t => inner.RefreshAsync(key, t), token);

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        guard.ExecuteAsync(t => inner.RemoveAsync(key, t), token);

    // The catalog only uses the asynchronous API; the synchronous one keeps the same guard.
    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();
}

/// <summary>
/// The backplane's publishes (an invalidation awaited by a back-office write) under the same guard;
/// subscribing is left to the backplane, which reconnects by itself.
/// </summary>
internal sealed class GuardedBackplane(IFusionCacheBackplane inner, RedisGuard guard) : IFusionCacheBackplane
{
    public void Subscribe(BackplaneSubscriptionOptions options) => inner.Subscribe(options);

    public ValueTask SubscribeAsync(BackplaneSubscriptionOptions options) => inner.SubscribeAsync(options);

    public void Unsubscribe() => inner.Unsubscribe();

    public ValueTask UnsubscribeAsync() => inner.UnsubscribeAsync();

    public ValueTask PublishAsync(BackplaneMessage message, FusionCacheEntryOptions options, CancellationToken token = default) =>
        new(guard.ExecuteAsync(t => inner.PublishAsync(message, options, t).AsTask(), token));

    public void Publish(BackplaneMessage message, FusionCacheEntryOptions options, CancellationToken token = default) =>
        PublishAsync(message, options, token).AsTask().GetAwaiter().GetResult();
}
