using MestresCafe.Api.Audit;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Back office over users and roles. Every change is audited in its own transaction and pushed to
/// the user's cached sessions, so new permissions (or their loss) apply on the next request on
/// every server.
/// </summary>
public sealed class UserAdminService(NpgsqlDataSource db, SessionStore sessions, SessionCache sessionCache)
{
    public async Task<IReadOnlyList<RoleView>> ListRolesAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            """
            select r.id, r.name, r.description, r.is_default,
                   coalesce(array_agg(p.name order by p.name) filter (where p.name is not null), '{}')
            from roles r
            left join role_permissions rp on rp.role_id = r.id
            left join permissions p on p.id = rp.permission_id
            group by r.id
            order by r.name
            """);
        var roles = new List<RoleView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            roles.Add(new RoleView(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetBoolean(3), reader.GetFieldValue<string[]>(4)));
        }

        return roles;
    }

    public async Task<UserPage> ListUsersAsync(string? search, string? role, int page, int pageSize, CancellationToken cancellationToken)
    {
        // The search is a pattern for ILIKE: its own wildcards are escaped, so "%" finds a percent sign.
        var pattern = string.IsNullOrWhiteSpace(search)
            ? null
            : "%" + search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
        await using var command = db.CreateCommand(
            """
            with matching as (
                select u.* from users u
                where ($1::text is null or u.email ilike $1 or (u.first_name || ' ' || u.last_name) ilike $1)
                  and ($2::text is null or exists (
                      select 1 from user_roles ur join roles r on r.id = ur.role_id
                      where ur.user_id = u.id and r.name = $2 and (ur.expires_at is null or ur.expires_at > now())))
            )
            select m.id, m.email, m.first_name, m.last_name, m.is_active, m.is_admin, m.created_at, m.last_login,
                   coalesce((select array_agg(r.name order by r.name) from user_roles ur join roles r on r.id = ur.role_id
                             where ur.user_id = m.id and (ur.expires_at is null or ur.expires_at > now())), '{}'),
                   count(*) over ()
            from matching m
            order by m.id
            limit $3 offset $4
            """);
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)pattern ?? DBNull.Value });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)role ?? DBNull.Value });
        command.Parameters.Add(new() { Value = pageSize });
        command.Parameters.Add(new() { Value = (long)(page - 1) * pageSize });
        var items = new List<UserSummary>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new UserSummary(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4),
                reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<string[]>(8)));
            total = reader.GetInt64(9);
        }

        return new UserPage(items, page, pageSize, total);
    }

    public async Task<UserDetail?> GetUserAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select u.id, u.email, u.username, u.first_name, u.last_name, u.phone, u.is_active, u.is_admin, u.created_at, u.last_login, c.id,
                   (select count(*)::int from user_sessions s where s.user_id = u.id and s.is_active and s.expires_at > now())
            from users u left join customers c on c.user_id = u.id
            where u.id = $1
            """, connection);
        command.Parameters.Add(new() { Value = userId });
        UserDetail detail;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            detail = new UserDetail(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6), reader.GetBoolean(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetInt64(10), [], reader.GetInt32(11));
        }

        return detail with { Roles = await ReadAssignmentsAsync(connection, null, userId, cancellationToken) };
    }

    /// <summary>Grants a role (or changes its expiry). Null when the user or the role does not exist.</summary>
    public async Task<RoleAssignment?> AssignRoleAsync(long userId, string role, DateTimeOffset? expiresAt, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var old = (await ReadAssignmentsAsync(connection, transaction, userId, cancellationToken)).FirstOrDefault(a => a.Role == role);
        long assignmentId;
        await using (var upsert = new NpgsqlCommand(
            """
            insert into user_roles (user_id, role_id, assigned_by, expires_at)
            select u.id, r.id, $3, $4 from users u, roles r where u.id = $1 and r.name = $2
            on conflict (user_id, role_id) do update
                set expires_at = excluded.expires_at, assigned_by = excluded.assigned_by, assigned_at = now()
            returning id
            """, connection, transaction))
        {
            upsert.Parameters.Add(new() { Value = userId });
            upsert.Parameters.Add(new() { Value = role });
            upsert.Parameters.Add(new() { Value = http.User.GetUserId() });
            upsert.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)expiresAt?.UtcDateTime ?? DBNull.Value });
            if (await upsert.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                return null;
            }

            assignmentId = id;
        }

        var assigned = (await ReadAssignmentsAsync(connection, transaction, userId, cancellationToken)).Single(a => a.Role == role);
        await AuditLog.WriteAsync(connection, transaction, http, "role.assign", "user_roles", assignmentId,
            old is null ? null : new { userId, old.Role, old.ExpiresAt }, new { userId, assigned.Role, assigned.ExpiresAt }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await sessions.InvalidateUserAsync(userId, cancellationToken);
        return assigned;
    }

    /// <summary>Takes a role away; false when the user does not hold it.</summary>
    public async Task<bool> RevokeRoleAsync(long userId, string role, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand(
            """
            delete from user_roles ur using roles r
            where ur.role_id = r.id and ur.user_id = $1 and r.name = $2
            returning ur.id, ur.expires_at
            """, connection, transaction))
        {
            delete.Parameters.Add(new() { Value = userId });
            delete.Parameters.Add(new() { Value = role });
            await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            var (assignmentId, expiresAt) = (reader.GetInt64(0), reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1));
            await reader.DisposeAsync();
            await AuditLog.WriteAsync(connection, transaction, http, "role.revoke", "user_roles", assignmentId,
                new { userId, role, expiresAt }, null, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await sessions.InvalidateUserAsync(userId, cancellationToken);
        return true;
    }

    /// <summary>Ends every session of a user (a stolen device, a departing employee). Null when the user does not exist.</summary>
    public async Task<SessionsRevoked?> RevokeSessionsAsync(long userId, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("select 1 from users where id = $1", connection, transaction))
        {
            exists.Parameters.Add(new() { Value = userId });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                return null;
            }
        }

        var revoked = await sessions.RevokeAllAsync(connection, transaction, userId, "admin", cancellationToken);
        await AuditLog.WriteAsync(connection, transaction, http, "session.revoke_all", "users", userId, null,
            new { revokedSessions = revoked.Count }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await sessionCache.MarkRevokedAsync(revoked);
        return new SessionsRevoked(revoked.Count);
    }

    private static async Task<IReadOnlyList<RoleAssignment>> ReadAssignmentsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long userId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            select r.name, ur.assigned_at, ur.assigned_by, ur.expires_at, coalesce(ur.expires_at <= now(), false)
            from user_roles ur join roles r on r.id = ur.role_id
            where ur.user_id = $1
            order by r.name
            """, connection, transaction);
        command.Parameters.Add(new() { Value = userId });
        var assignments = new List<RoleAssignment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            assignments.Add(new RoleAssignment(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4)));
        }

        return assignments;
    }
}
