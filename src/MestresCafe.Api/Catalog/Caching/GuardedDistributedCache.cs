using MestresCafe.Api.Infrastructure;
using Microsoft.Extensions.Caching.Distributed;

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
