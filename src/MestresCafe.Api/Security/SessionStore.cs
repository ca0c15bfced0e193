using MestresCafe.Api.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Api.Security;

/// <summary>
/// Sessions in PostgreSQL (user_sessions is the record) with the Redis entries kept in step:
/// issue, load, rotate on refresh, revoke. Tokens are only ever stored as SHA-256 hashes.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource db, SessionCache cache, IOptions<SessionOptions> options)
{
    private readonly SessionOptions _options = options.Value;

    /// <summary>Creates a session inside the caller's transaction; a new family unless one is given.</summary>
    public async Task<IssuedSession> IssueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, Guid? familyId, ClientInfo client, CancellationToken cancellationToken)
    {
        var access = SessionTokens.New();
        var refresh = SessionTokens.New();
        await using var command = new NpgsqlCommand(
            """
            insert into user_sessions (user_id, session_token, refresh_token, expires_at, refresh_expires_at, ip_address, user_agent, family_id)
            values ($1, $2, $3, now() + $4, now() + $5, $6, $7, coalesce($8, gen_random_uuid()))
            returning id, expires_at, refresh_expires_at
            """, connection, transaction);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = SessionTokens.Hash(access) });
        command.Parameters.Add(new() { Value = SessionTokens.Hash(refresh) });
        command.Parameters.Add(new() { Value = _options.AccessTokenLifetime });
        command.Parameters.Add(new() { Value = _options.RefreshTokenLifetime });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Inet, Value = (object?)client.Ip ?? DBNull.Value });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)client.UserAgent ?? DBNull.Value });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)familyId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new IssuedSession(
            reader.GetInt64(0), userId, access, refresh, reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
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
    public async Task<SessionPrincipal?> LoadAsync(string tokenHash, CancellationToken cancellationToken)
    {
        // Roles and permissions from unexpired assignments only; users.is_admin is the super-user
        // flag (sql/README.md) and grants every permission.
        await using var command = db.CreateCommand(
            """
            select s.id, s.user_id, u.email, c.id, s.expires_at,
                   coalesce((select array_agg(r.name order by r.name)
                             from user_roles ur join roles r on r.id = ur.role_id
                             where ur.user_id = u.id and (ur.expires_at is null or ur.expires_at > now())), '{}'),
                   coalesce((select array_agg(p.name order by p.name)
                             from permissions p
                             where u.is_admin or exists (
                                 select 1 from role_permissions rp join user_roles ur on ur.role_id = rp.role_id
                                 where rp.permission_id = p.id and ur.user_id = u.id
                                   and (ur.expires_at is null or ur.expires_at > now()))), '{}'),
                   (select min(ur.expires_at) from user_roles ur where ur.user_id = u.id and ur.expires_at > now())
            from user_sessions s
            join users u on u.id = s.user_id
            left join customers c on c.user_id = u.id
            where s.session_token = $1 and s.is_active and s.expires_at > now() and u.is_active
            """);
        command.Parameters.Add(new() { Value = tokenHash });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new SessionPrincipal(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.GetFieldValue<string[]>(5),
            reader.GetFieldValue<string[]>(6),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
    }

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

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Guid familyId;
        long sessionId;
        long userId;
        bool rotated;
        bool usable;
        await using (var find = new NpgsqlCommand(
            """
            select s.id, s.user_id, s.family_id, s.rotated_at is not null,
                   s.is_active and s.refresh_expires_at > now() and u.is_active
            from user_sessions s join users u on u.id = s.user_id
            where s.refresh_token = $1
            for update of s
            """, connection, transaction))
        {
            find.Parameters.Add(new() { Value = SessionTokens.Hash(refreshToken) });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return RefreshResult.Invalid;
            }

            (sessionId, userId, familyId, rotated, usable) =
                (reader.GetInt64(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetBoolean(3), reader.GetBoolean(4));
        }

        if (rotated)
        {
            var revoked = await RevokeWhereAsync(connection, transaction, "family_id = $1", familyId, "refresh_reuse", cancellationToken);
            await AuditLog.WriteAsync(connection, transaction, http, "session.refresh_reuse", "user_sessions", sessionId, null,
                new { userId, familyId, revokedSessions = revoked.Count }, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await cache.MarkRevokedAsync(revoked);
            return RefreshResult.Reused;
        }

        if (!usable)
        {
            return RefreshResult.Invalid;
        }

        var old = await RevokeWhereAsync(connection, transaction, "id = $1", sessionId, "rotated", cancellationToken);
        await using (var markRotated = new NpgsqlCommand("update user_sessions set rotated_at = now() where id = $1", connection, transaction))
        {
            markRotated.Parameters.Add(new() { Value = sessionId });
            await markRotated.ExecuteNonQueryAsync(cancellationToken);
        }

        var issued = await IssueAsync(connection, transaction, userId, familyId, ClientInfo.From(http), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await cache.MarkRevokedAsync(old);
        await WarmAsync(issued, cancellationToken);
        return new RefreshResult(issued, IsReuse: false);
    }

    /// <summary>Ends one session of a user; false when it is not theirs or already ended.</summary>
    public async Task<bool> RevokeAsync(long userId, long sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            update user_sessions set is_active = false, revoked_at = now(), revoked_reason = $3
            where id = $1 and user_id = $2 and is_active
            returning session_token
            """, connection);
        command.Parameters.Add(new() { Value = sessionId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = reason });
        var hash = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (hash is null)
        {
            return false;
        }

        await cache.MarkRevokedAsync([hash]);
        return true;
    }

    /// <summary>
    /// Ends every session of a user inside the caller's transaction. The caller passes the result
    /// to <see cref="SessionCache.MarkRevokedAsync"/> after committing.
    /// </summary>
    public Task<IReadOnlyList<string>> RevokeAllAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, string reason, CancellationToken cancellationToken) =>
        RevokeWhereAsync(connection, transaction, "user_id = $1", userId, reason, cancellationToken);

    /// <summary>The user's roles or identity changed: every server reloads their sessions on the next request.</summary>
    public async Task InvalidateUserAsync(long userId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "select session_token from user_sessions where user_id = $1 and is_active and expires_at > now()");
        command.Parameters.Add(new() { Value = userId });
        var hashes = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                hashes.Add(reader.GetString(0));
            }
        }

        await cache.MarkStaleAsync(hashes);
    }

    public async Task TouchAsync(long sessionId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("update user_sessions set last_used = now() where id = $1 and is_active");
        command.Parameters.Add(new() { Value = sessionId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SessionSummary>> ListActiveAsync(long userId, long currentSessionId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            """
            select id, created_at, last_used, expires_at, host(ip_address), user_agent
            from user_sessions
            where user_id = $1 and is_active and (expires_at > now() or refresh_expires_at > now())
            order by last_used desc
            """);
        command.Parameters.Add(new() { Value = userId });
        var sessions = new List<SessionSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions.Add(new SessionSummary(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt64(0) == currentSessionId));
        }

        return sessions;
    }

    private static async Task<IReadOnlyList<string>> RevokeWhereAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string condition, object value, string reason, CancellationToken cancellationToken)
    {
        // condition is one of this class's constants, never input.
        await using var command = new NpgsqlCommand(
            $"""
            update user_sessions set is_active = false, revoked_at = now(), revoked_reason = $2
            where {condition} and is_active
            returning session_token
            """, connection, transaction);
        command.Parameters.Add(new() { Value = value });
        command.Parameters.Add(new() { Value = reason });
        var hashes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }
}

public sealed record IssuedSession(long SessionId, long UserId, string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, DateTimeOffset RefreshExpiresAt);

public sealed record RefreshResult(IssuedSession? Session, bool IsReuse)
{
    public static readonly RefreshResult Invalid = new(null, IsReuse: false);
    public static readonly RefreshResult Reused = new(null, IsReuse: true);
}

public sealed record SessionSummary(
    long Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsed, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent, bool Current);
