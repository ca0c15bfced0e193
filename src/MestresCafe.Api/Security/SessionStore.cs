using MestresCafe.Data.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Security;

/// <summary>
/// Sessions: user_sessions (<see cref="UserSessionStore"/>) is the record, the Redis entries are
/// kept in step: issue, load, rotate on refresh, revoke. Tokens are only ever stored as SHA-256
/// hashes; this class makes the tokens and hashes them.
/// </summary>
public sealed class SessionStore(UserSessionStore store, SessionCache cache, IOptions<SessionOptions> options)
{
    private readonly SessionOptions _options = options.Value;

    /// <summary>New tokens for a session: what the client gets, and what the database keeps (their hashes).</summary>
    public PendingSession Prepare(ClientInfo client)
    {
        var access = SessionTokens.New();
        var refresh = SessionTokens.New();
        return new PendingSession(access, refresh, new NewSession(
            SessionTokens.Hash(access), SessionTokens.Hash(refresh), _options.AccessTokenLifetime, _options.RefreshTokenLifetime, client.Ip, client.UserAgent));
    }

    /// <summary>After the session's transaction committed: puts it in the cache so the first request needs no database read.</summary>
    public async Task WarmAsync(IssuedSession session, CancellationToken cancellationToken)
    {
        var hash = SessionTokens.Hash(session.AccessToken);
        if (await LoadAsync(hash, cancellationToken) is { } principal)
        {
            await cache.TryAddAsync(hash, principal);
        }
    }

    /// <summary>The session behind an access token hash, if active and unexpired and its user active.</summary>
    public async Task<SessionPrincipal?> LoadAsync(string tokenHash, CancellationToken cancellationToken) =>
        await store.LoadAsync(tokenHash, cancellationToken) is { } s
            ? new SessionPrincipal(s.SessionId, s.UserId, s.Email, s.CustomerId, s.Roles, s.Permissions, s.ExpiresAt, s.ClaimsValidUntil)
            : null;

    /// <summary>
    /// Exchanges a refresh token for a new session in the same family. A refresh token that was
    /// already exchanged is a stolen copy (or the thief's was used first): the family is revoked.
    /// </summary>
    public async Task<RefreshResult> RefreshAsync(string refreshToken, HttpContext http, CancellationToken cancellationToken)
    {
        if (!SessionTokens.LooksValid(refreshToken))
        {
            return RefreshResult.Invalid;
        }

        // The next pair is made before the store's transaction (which holds the old row's lock) and
        // simply dropped when the refresh token turns out invalid or reused.
        var next = Prepare(ClientInfo.From(http));
        var refresh = await store.RefreshAsync(SessionTokens.Hash(refreshToken), next.Row, AuditActors.From(http), cancellationToken);
        await cache.MarkRevokedAsync(refresh.RevokedTokenHashes);
        switch (refresh.Status)
        {
            case RefreshStatus.Reused:
                return RefreshResult.Reused;
            case RefreshStatus.Rotated:
                var issued = next.Issued(refresh.UserId, refresh.Created!);
                await WarmAsync(issued, cancellationToken);
                return new RefreshResult(issued, IsReuse: false);
            default:
                return RefreshResult.Invalid;
        }
    }

    /// <summary>Ends one session of a user; false when it is not theirs or already ended.</summary>
    public async Task<bool> RevokeAsync(long userId, long sessionId, string reason, CancellationToken cancellationToken)
    {
        if (await store.RevokeAsync(userId, sessionId, reason, cancellationToken) is not { } hash)
        {
            return false;
        }

        await cache.MarkRevokedAsync([hash]);
        return true;
    }

    /// <summary>The user's roles or identity changed: every server reloads their sessions on the next request.</summary>
    public async Task InvalidateUserAsync(long userId, CancellationToken cancellationToken) =>
        await cache.MarkStaleAsync(await store.ActiveTokenHashesAsync(userId, cancellationToken));

    public Task TouchAsync(long sessionId, CancellationToken cancellationToken) => store.TouchAsync(sessionId, cancellationToken);

    public async Task<IReadOnlyList<SessionSummary>> ListActiveAsync(long userId, long currentSessionId, CancellationToken cancellationToken) =>
        (await store.ListActiveAsync(userId, cancellationToken))
            .Select(s => new SessionSummary(s.Id, s.CreatedAt, s.LastUsed, s.ExpiresAt, s.IpAddress, s.UserAgent, s.Id == currentSessionId))
            .ToList();
}

/// <summary>A session about to be stored: its tokens (handed out once) and its row (their hashes).</summary>
public sealed record PendingSession(string AccessToken, string RefreshToken, NewSession Row)
{
    /// <summary>The session as the client gets it, once stored.</summary>
    public IssuedSession Issued(long userId, CreatedSession created) =>
        new(created.Id, userId, AccessToken, RefreshToken, created.ExpiresAt, created.RefreshExpiresAt);
}

public sealed record IssuedSession(long SessionId, long UserId, string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, DateTimeOffset RefreshExpiresAt);

public sealed record RefreshResult(IssuedSession? Session, bool IsReuse)
{
    public static readonly RefreshResult Invalid = new(null, IsReuse: false);
    public static readonly RefreshResult Reused = new(null, IsReuse: true);
}

public sealed record SessionSummary(
    long Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsed, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent, bool Current);
