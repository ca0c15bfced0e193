using MestresCafe.Api.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MestresCafe.Api.Security;

/// <summary>
/// The Redis side of sessions: token hash → <see cref="SessionPrincipal"/>, at most 24 hours.
/// </summary>
/// <remarks>
/// Revoking or changing a session overwrites its entry with a marker instead of deleting it, and a
/// reader that loaded the session from PostgreSQL adds it only if no entry exists (SET NX). So a
/// reader that read the row just before a revocation committed cannot put the old state back: the
/// marker is either already there (its add fails) or arrives after it (and overwrites it).
/// Every operation is best effort and goes through <see cref="RedisGuard"/>: Redis down, slow or
/// hung means a miss (PostgreSQL answers) after one short timeout at most, never a failure; a
/// marker that could not be written is retried in the background.
/// Entries are signed (<see cref="SessionEntrySigner"/>): one that does not verify was not written
/// by a server of this deployment, so it is ignored and removed, and PostgreSQL answers.
/// </remarks>
public sealed class SessionCache(
    RedisGuard redis,
    IOptions<RedisOptions> redisOptions,
    SessionEntrySigner signer,
    PendingCacheRemovals pending,
    LocalCache local,
    ILogger<SessionCache> logger)
{
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    private const string RevokedMarker = "revoked";
    private const string ReloadMarker = "reload";
    // Long enough to outlast any reader that was between its PostgreSQL read and its add.
    private static readonly TimeSpan ReloadMarkerTtl = TimeSpan.FromSeconds(30);
    // A revoked token presented again is then refused without a PostgreSQL read for this long.
    private static readonly TimeSpan RevokedMarkerTtl = TimeSpan.FromHours(1);

    private readonly RedisOptions _keys = redisOptions.Value;

    public async Task<SessionCacheLookup> GetAsync(string tokenHash)
    {
        var key = KeyOf(tokenHash);
        if (local.TryGet<SessionPrincipal>(key!) is { } remembered && remembered.CacheableUntil > DateTimeOffset.UtcNow)
        {
            return new SessionCacheLookup(remembered, CanAdd: false, IsRevoked: false);
        }

        var epoch = local.Epoch;
        var lookup = await GetFromRedisAsync(key, tokenHash);
        if (lookup.Principal is { } principal)
        {
            local.TryAdd(key!, principal, principal.CacheableUntil, epoch);
        }

        return lookup with { Epoch = epoch };
    }

    private async Task<SessionCacheLookup> GetFromRedisAsync(RedisKey key, string tokenHash)
    {
        if (await redis.TryAsync<RedisValue?>(async db => await db.StringGetAsync(key), null, "session read") is not { } value)
        {
            return SessionCacheLookup.Unavailable; // Redis unreachable or no answer in time
        }

        return (string?)value switch
        {
            null => SessionCacheLookup.Miss,
            RevokedMarker => SessionCacheLookup.Revoked,
            ReloadMarker => SessionCacheLookup.Unavailable,
            var entry => signer.Verify(tokenHash, entry) is { } principal
                ? new SessionCacheLookup(principal, CanAdd: false, IsRevoked: false)
                : await DiscardUnverifiedAsync(tokenHash, value),
        };
    }

    /// <summary>Adds the entry unless one (or a marker) exists.</summary>
    public async Task TryAddAsync(string tokenHash, SessionPrincipal principal)
    {
        var ttl = principal.CacheableUntil - DateTimeOffset.UtcNow;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        // A failed add only means the next request reads PostgreSQL again.
        var entry = signer.Sign(tokenHash, principal);
        await redis.TryAsync(db => db.StringSetAsync(KeyOf(tokenHash), entry, ttl < MaxTtl ? ttl : MaxTtl, When.NotExists), false, "session add");
    }

    /// <summary>
    /// Keeps in memory a session read from PostgreSQL after Redis answered a miss (its entry is now
    /// added): <paramref name="epoch"/> is the lookup's, so a revocation published meanwhile wins.
    /// </summary>
    public void Remember(string tokenHash, SessionPrincipal principal, long epoch) => local.TryAdd(KeyOf(tokenHash)!, principal, principal.CacheableUntil, epoch);

    /// <summary>The sessions no longer exist: every server refuses their tokens from now on.</summary>
    public Task MarkRevokedAsync(IReadOnlyCollection<string> tokenHashes) => MarkAsync(tokenHashes, RevokedMarker, RevokedMarkerTtl);

    /// <summary>The sessions' roles or identity changed: the next request on any server reloads them.</summary>
    public Task MarkStaleAsync(IReadOnlyCollection<string> tokenHashes) => MarkAsync(tokenHashes, ReloadMarker, ReloadMarkerTtl);

    internal async Task<bool> TryMarkAsync(PendingCacheMark mark)
    {
        // false (retried in the background) when Redis is unreachable, slow or failing.
        var marked = await redis.TryAsync(
            async db =>
            {
                await Task.WhenAll(mark.Keys.Select(key => db.StringSetAsync(key, mark.Value, mark.Ttl)));
                return true;
            },
            false,
            "session invalidation");
        if (!marked)
        {
            // No message either: answer once no server that lost Redis like this one trusts its memory.
            await local.OutlastTrustAsync();
            return false;
        }

        // The message goes after the markers, so a server that drops its copy and asks Redis finds them.
        return await local.PublishAsync(mark.Keys.Select(k => (string)k!).ToArray());
    }

    /// <summary>
    /// Removes an entry that failed its signature check (forged, or written with another key), but
    /// only if it is still that entry: a revocation marker written meanwhile stays. The caller then
    /// reads PostgreSQL and may add a signed entry, exactly as after a miss.
    /// </summary>
    private async Task<SessionCacheLookup> DiscardUnverifiedAsync(string tokenHash, RedisValue entry)
    {
        logger.LogWarning("A cached session entry failed its signature check; it is ignored and the session is read from PostgreSQL");
        var removed = await redis.TryAsync(
            db =>
            {
                var transaction = db.CreateTransaction();
                transaction.AddCondition(Condition.StringEqual(KeyOf(tokenHash), entry));
                _ = transaction.KeyDeleteAsync(KeyOf(tokenHash));
                return transaction.ExecuteAsync();
            },
            false,
            "session discard");
        return removed ? SessionCacheLookup.Miss : SessionCacheLookup.Unavailable;
    }

    private async Task MarkAsync(IReadOnlyCollection<string> tokenHashes, string marker, TimeSpan ttl)
    {
        if (tokenHashes.Count == 0)
        {
            return;
        }

        var mark = new PendingCacheMark(tokenHashes.Select(KeyOf).ToArray(), marker, ttl);
        local.Remove(mark.Keys.Select(k => (string)k!));
        if (!await TryMarkAsync(mark))
        {
            pending.Enqueue(mark);
        }
    }

    private RedisKey KeyOf(string tokenHash) => _keys.Key("session:" + tokenHash);
}

/// <summary>
/// A cache answer. <see cref="CanAdd"/> is false when Redis is unreachable or the entry is being
/// reloaded: the caller then reads PostgreSQL without writing the result back. <see cref="Epoch"/>
/// is <see cref="LocalCache.Epoch"/> before the Redis read.
/// </summary>
public sealed record SessionCacheLookup(SessionPrincipal? Principal, bool CanAdd, bool IsRevoked)
{
    public long Epoch { get; init; }

    public static readonly SessionCacheLookup Miss = new(null, CanAdd: true, IsRevoked: false);
    public static readonly SessionCacheLookup Unavailable = new(null, CanAdd: false, IsRevoked: false);
    public static readonly SessionCacheLookup Revoked = new(null, CanAdd: false, IsRevoked: true);
}
