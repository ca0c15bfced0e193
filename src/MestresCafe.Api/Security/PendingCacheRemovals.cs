using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MestresCafe.Api.Security;

/// <summary>A marker (revoked or reload) to write over session cache entries.</summary>
public sealed record PendingCacheMark(RedisKey[] Keys, RedisValue Value, TimeSpan Ttl);

/// <summary>
/// Session cache markers that could not be written because Redis was unreachable. The session
/// rows are already changed in PostgreSQL; this only makes sure that an entry written before the
/// change does not outlive it once Redis is reachable again.
/// </summary>
public sealed class PendingCacheRemovals
{
    // Bounded: when Redis stays away long enough to fill it, the oldest entries have expired anyway.
    private readonly Channel<PendingCacheMark> _channel = Channel.CreateBounded<PendingCacheMark>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Enqueue(PendingCacheMark mark) => _channel.Writer.TryWrite(mark);

    internal ChannelReader<PendingCacheMark> Reader => _channel.Reader;
}

internal sealed class PendingCacheRemovalWorker(PendingCacheRemovals pending, IServiceProvider services, ILogger<PendingCacheRemovalWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cache = services.GetRequiredService<SessionCache>();
        try
        {
            await foreach (var mark in pending.Reader.ReadAllAsync(stoppingToken))
            {
                while (!await cache.TryMarkAsync(mark))
                {
                    await Task.Delay(RetryDelay, stoppingToken);
                }

                logger.LogInformation("Wrote {Count} delayed session cache invalidations", mark.Keys.Length);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
