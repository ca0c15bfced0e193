using MestresCafe.Api.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MestresCafe.Api.RateLimiting;

/// <summary>One limited subject: a Redis key and its window.</summary>
public readonly record struct RateLimitKey(string Name, RateLimitWindow Limit);

public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static readonly RateLimitDecision Allow = new(true, TimeSpan.Zero);
}

/// <summary>
/// A sliding-window log in Redis shared by every server: one sorted set per subject (client IP,
/// user, account) holding the request times of the last window. One script call checks all of a
/// request's subjects and counts the request against all of them only if every one has room, so a
/// rejected request consumes nothing.
/// </summary>
/// <remarks>
/// Written here rather than taken from a package: the packages we looked at put their own prefix
/// in front of every key (so our per-environment prefix could not isolate them), read the clock of
/// each server instead of Redis's, and throw when Redis is down. The time comes from Redis TIME so
/// that servers with skewed clocks share one window. If Redis is unreachable, slow or hung the limit
/// fails open after one short timeout at most (<see cref="RedisGuard"/>): it is a protection, not a
/// record, and the account lockout (PostgreSQL) still stands.
/// </remarks>
public sealed class RedisSlidingWindow(RedisGuard redis, IOptions<RedisOptions> redisOptions)
{
    // KEYS: one sorted set per subject. ARGV[1]: a unique member; then limit and window (ms) per key.
    // Returns 0 when admitted, else the milliseconds until the most constrained subject has room.
    private const string Script =
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local wait = 0
        for i, key in ipairs(KEYS) do
            local limit = tonumber(ARGV[i * 2])
            local window = tonumber(ARGV[i * 2 + 1])
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
            if redis.call('ZCARD', key) >= limit then
                local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
                local until_free = tonumber(oldest[2]) + window - now
                if until_free > wait then wait = until_free end
            end
        end
        if wait > 0 then return wait end
        for i, key in ipairs(KEYS) do
            redis.call('ZADD', key, now, ARGV[1])
            redis.call('PEXPIRE', key, tonumber(ARGV[i * 2 + 1]))
        end
        return 0
        """;

    private readonly RedisOptions _keys = redisOptions.Value;

    public async Task<RateLimitDecision> HitAsync(IReadOnlyList<RateLimitKey> subjects)
    {
        if (subjects.Count == 0)
        {
            return RateLimitDecision.Allow;
        }

        var keys = subjects.Select(s => (RedisKey)_keys.Key("rl:" + s.Name)).ToArray();
        var args = new RedisValue[1 + subjects.Count * 2];
        args[0] = Guid.NewGuid().ToString("N");
        for (var i = 0; i < subjects.Count; i++)
        {
            args[1 + i * 2] = subjects[i].Limit.PermitLimit;
            args[2 + i * 2] = (long)Math.Ceiling(subjects[i].Limit.Window.TotalMilliseconds);
        }

        var waitMs = await redis.TryAsync(async db => (long)await db.ScriptEvaluateAsync(Script, keys, args), 0L, "rate limit");
        return waitMs <= 0 ? RateLimitDecision.Allow : new RateLimitDecision(false, TimeSpan.FromMilliseconds(waitMs));
    }
}
