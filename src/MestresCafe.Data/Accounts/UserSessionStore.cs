using System.Net;
using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Accounts;

/// <summary>A session to create: the SHA-256 hashes of its tokens (never the tokens), their lifetimes and the client.</summary>
public sealed record NewSession(
    string AccessTokenHash, string RefreshTokenHash, TimeSpan AccessLifetime, TimeSpan RefreshLifetime, IPAddress? Ip, string? UserAgent);

/// <summary>A created session's id and expiries, as PostgreSQL computed them.</summary>
public sealed record CreatedSession
{
    public long Id { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset RefreshExpiresAt { get; init; }
}

/// <summary>An active session with its user's grants (<see cref="UserGrantsQuery"/>).</summary>
public sealed record ActiveSession
{
    public long SessionId { get; init; }
    public long UserId { get; init; }
    public string Email { get; init; } = "";
    public long? CustomerId { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public string[] Roles { get; init; } = [];
    public string[] Permissions { get; init; } = [];
    public DateTimeOffset? ClaimsValidUntil { get; init; }
}

/// <summary>One line of a user's session list.</summary>
public sealed record SessionListing
{
    public long Id { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUsed { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }
}

public enum RefreshStatus
{
    /// <summary>Unknown, expired or revoked refresh token, or an inactive user.</summary>
    Invalid,
    /// <summary>An already exchanged refresh token: its whole family was revoked.</summary>
    Reused,
    Rotated,
}

/// <summary>What a refresh did: the sessions it ended (for the cache) and, when rotated, the new one.</summary>
public sealed record SessionRefresh(RefreshStatus Status, IReadOnlyList<string> RevokedTokenHashes, long UserId = 0, CreatedSession? Created = null)
{
    public static readonly SessionRefresh Invalid = new(RefreshStatus.Invalid, []);
}

/// <summary>
/// user_sessions, the record of every session: create, look up by access token hash, rotate on
/// refresh, revoke. Revocations return the revoked token hashes so that the caller can mark them
/// in the cache after the commit.
/// </summary>
public sealed class UserSessionStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The session behind an access token hash, if active and unexpired and its user active. Runs on
    /// every request whose session is not cached: one statement, the grants included.
    /// </summary>
    public async Task<ActiveSession?> LoadAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ActiveSession>(new CommandDefinition(
            $"""
            select s.id as session_id, s.user_id, u.email, c.id as customer_id, s.expires_at,
                   {UserGrantsQuery.Columns},
                   {UserGrantsQuery.ClaimsValidUntilColumn}
            from user_sessions s
            join users u on u.id = s.user_id
            left join customers c on c.user_id = u.id
            where s.session_token = @tokenHash and s.is_active and s.expires_at > now() and u.is_active
            """, new { tokenHash }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Exchanges a refresh token for <paramref name="next"/> in the same family, in one transaction.
    /// A refresh token that was already exchanged is a stolen copy (or the thief's was used first):
    /// the family is revoked and the reuse audited.
    /// </summary>
    public async Task<SessionRefresh> RefreshAsync(string refreshTokenHash, NewSession next, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var presented = await connection.QuerySingleOrDefaultAsync<PresentedRefresh>(new CommandDefinition(
            """
            select s.id, s.user_id, s.family_id, s.rotated_at is not null as rotated,
                   s.is_active and s.refresh_expires_at > now() and u.is_active as usable
            from user_sessions s join users u on u.id = s.user_id
            where s.refresh_token = @refreshTokenHash
            for update of s
            """, new { refreshTokenHash }, transaction, cancellationToken: cancellationToken));
        if (presented is null)
        {
            return SessionRefresh.Invalid;
        }

        if (presented.Rotated)
        {
            var family = await RevokeWhereAsync(connection, transaction, "family_id = @value", presented.FamilyId, "refresh_reuse", cancellationToken);
            await AuditTrail.WriteAsync(connection, transaction,
                new AuditEntry("session.refresh_reuse", "user_sessions", presented.Id, null,
                    new { presented.UserId, presented.FamilyId, revokedSessions = family.Count }),
                actor, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new SessionRefresh(RefreshStatus.Reused, family, presented.UserId);
        }

        if (!presented.Usable)
        {
            return SessionRefresh.Invalid;
        }

        var old = await RevokeWhereAsync(connection, transaction, "id = @value", presented.Id, "rotated", cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update user_sessions set rotated_at = now() where id = @Id", new { presented.Id }, transaction, cancellationToken: cancellationToken));
        var created = await CreateAsync(connection, transaction, presented.UserId, presented.FamilyId, next, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SessionRefresh(RefreshStatus.Rotated, old, presented.UserId, created);
    }

    /// <summary>Ends one session of a user; its token hash, or null when it is not theirs or already ended.</summary>
    public async Task<string?> RevokeAsync(long userId, long sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            update user_sessions set is_active = false, revoked_at = now(), revoked_reason = @reason
            where id = @sessionId and user_id = @userId and is_active
            returning session_token
            """, new { sessionId, userId, reason }, cancellationToken: cancellationToken));
    }

    /// <summary>The token hashes of a user's unexpired sessions (their roles or identity changed: the cache must reload them).</summary>
    public async Task<IReadOnlyList<string>> ActiveTokenHashesAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "select session_token from user_sessions where user_id = @userId and is_active and expires_at > now()",
            new { userId }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task TouchAsync(long sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update user_sessions set last_used = now() where id = @sessionId and is_active", new { sessionId }, cancellationToken: cancellationToken));
    }

    /// <summary>A user's sessions that can still be used or refreshed, most recently used first.</summary>
    public async Task<IReadOnlyList<SessionListing>> ListActiveAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SessionListing>(new CommandDefinition(
            """
            select id, created_at, last_used, expires_at, host(ip_address) as ip_address, user_agent
            from user_sessions
            where user_id = @userId and is_active and (expires_at > now() or refresh_expires_at > now())
            order by last_used desc
            """, new { userId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Creates a session inside the caller's transaction; a new family unless one is given.</summary>
    internal static Task<CreatedSession> CreateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, Guid? familyId, NewSession session, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<CreatedSession>(new CommandDefinition(
            """
            insert into user_sessions (user_id, session_token, refresh_token, expires_at, refresh_expires_at, ip_address, user_agent, family_id)
            values (@userId, @AccessTokenHash, @RefreshTokenHash, now() + @AccessLifetime, now() + @RefreshLifetime, @Ip, @UserAgent,
                    coalesce(@familyId, gen_random_uuid()))
            returning id, expires_at, refresh_expires_at
            """,
            new { userId, session.AccessTokenHash, session.RefreshTokenHash, session.AccessLifetime, session.RefreshLifetime, session.Ip, session.UserAgent, familyId },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>Ends every session of a user inside the caller's transaction; the revoked token hashes.</summary>
    internal static Task<IReadOnlyList<string>> RevokeAllAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, string reason, CancellationToken cancellationToken) =>
        RevokeWhereAsync(connection, transaction, "user_id = @value", userId, reason, cancellationToken);

    private static async Task<IReadOnlyList<string>> RevokeWhereAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string condition, object value, string reason, CancellationToken cancellationToken) =>
        // condition is one of this class's constants, never input.
        (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            update user_sessions set is_active = false, revoked_at = now(), revoked_reason = @reason
            where {condition} and is_active
            returning session_token
            """, new { value, reason }, transaction, cancellationToken: cancellationToken))).AsList();

    private sealed record PresentedRefresh
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public Guid FamilyId { get; init; }
        public bool Rotated { get; init; }
        public bool Usable { get; init; }
    }
}
