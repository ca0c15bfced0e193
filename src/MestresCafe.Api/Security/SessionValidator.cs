using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Api.Security;

/// <summary>
/// Resolves an access token: this server's memory first, then Redis, PostgreSQL on a miss or when
/// Redis is unreachable.
/// </summary>
public sealed class SessionValidator(
    SessionCache cache,
    SessionStore store,
    IMemoryCache recentlyTouched,
    IOptions<SessionOptions> options,
    ILogger<SessionValidator> logger)
{
    private readonly TimeSpan _touchResolution = options.Value.LastUsedResolution;

    public async Task<SessionPrincipal?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var hash = SessionTokens.Hash(token);
        var lookup = await cache.GetAsync(hash);
        if (lookup.IsRevoked)
        {
            return null;
        }

        var principal = lookup.Principal is { } cached && cached.CacheableUntil > DateTimeOffset.UtcNow ? cached : null;
        if (principal is null)
        {
            principal = await store.LoadAsync(hash, cancellationToken);
            if (principal is not null && lookup.CanAdd)
            {
                await cache.TryAddAsync(hash, principal);
                cache.Remember(hash, principal, lookup.Epoch);
            }
        }

        if (principal is not null)
        {
            await TouchAsync(principal.SessionId, cancellationToken);
        }

        return principal;
    }

    // last_used is informative (the session list shows it): writing it on every request would put a
    // PostgreSQL write on every cached read, so each server writes it at most once per resolution.
    private async Task TouchAsync(long sessionId, CancellationToken cancellationToken)
    {
        if (recentlyTouched.TryGetValue(("session-touch", sessionId), out _))
        {
            return;
        }

        recentlyTouched.Set(("session-touch", sessionId), true, _touchResolution);
        try
        {
            await store.TouchAsync(sessionId, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning(ex, "Could not record last use of session {SessionId}", sessionId);
        }
    }
}
