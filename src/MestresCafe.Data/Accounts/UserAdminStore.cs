using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Accounts;

public sealed record RoleRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public bool IsDefault { get; init; }
    public string[] Permissions { get; init; } = [];
}

public sealed record UserRow
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public bool IsActive { get; init; }
    public bool IsAdmin { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastLogin { get; init; }
    /// <summary>Unexpired roles only (<see cref="UserGrantsQuery"/>).</summary>
    public string[] Roles { get; init; } = [];
    /// <summary>How many users matched, on every row of the page.</summary>
    public long Total { get; init; }
}

public sealed record UserDetailRow
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string? Username { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string? Phone { get; init; }
    public bool IsActive { get; init; }
    public bool IsAdmin { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastLogin { get; init; }
    public long? CustomerId { get; init; }
    public int ActiveSessions { get; init; }
    /// <summary>Every assignment, expired ones included.</summary>
    public IReadOnlyList<RoleAssignmentRow> Roles { get; init; } = [];
}

/// <summary>A role assignment made (<see cref="Assigned"/>), or why not.</summary>
public sealed record RoleAssignmentChange(RoleChangeOutcome Outcome, RoleAssignmentRow? Assigned);

public sealed record RoleAssignmentRow
{
    public string Role { get; init; } = "";
    public DateTimeOffset AssignedAt { get; init; }
    public long? AssignedBy { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool IsExpired { get; init; }
}

/// <summary>
/// The back office over users and roles. Every change writes its audit row in its own transaction;
/// the caller then pushes it to the user's cached sessions.
/// </summary>
public sealed class UserAdminStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<RoleRow>> ListRolesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<RoleRow>(new CommandDefinition(
            """
            select r.id, r.name, r.description, r.is_default,
                   coalesce(array_agg(p.name order by p.name) filter (where p.name is not null), '{}') as permissions
            from roles r
            left join role_permissions rp on rp.role_id = r.id
            left join permissions p on p.id = rp.permission_id
            group by r.id
            order by r.name
            """, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// A page of users by id, optionally those whose e-mail or name contains <paramref name="search"/>
    /// (taken literally) or who hold <paramref name="role"/> unexpired.
    /// </summary>
    public async Task<IReadOnlyList<UserRow>> ListUsersAsync(string? search, string? role, int limit, long offset, CancellationToken cancellationToken)
    {
        // The search becomes an ILIKE pattern with its own wildcards escaped, so "%" finds a percent sign.
        var pattern = string.IsNullOrWhiteSpace(search)
            ? null
            : "%" + search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"""
            with matching as (
                select u.* from users u
                where (@pattern::text is null or u.email ilike @pattern or (u.first_name || ' ' || u.last_name) ilike @pattern)
                  and (@role::text is null or exists (
                      select 1 from user_roles ur join roles r on r.id = ur.role_id
                      where ur.user_id = u.id and r.name = @role and {UserGrantsQuery.ActiveAssignment}))
            )
            select u.id, u.email, u.first_name, u.last_name, u.is_active, u.is_admin, u.created_at, u.last_login,
                   {UserGrantsQuery.RolesColumn},
                   count(*) over () as total
            from matching u
            order by u.id
            limit @limit offset @offset
            """, new { pattern, role, limit, offset }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<UserDetailRow?> GetUserAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var detail = await connection.QuerySingleOrDefaultAsync<UserDetailRow>(new CommandDefinition(
            """
            select u.id, u.email, u.username, u.first_name, u.last_name, u.phone, u.is_active, u.is_admin, u.created_at, u.last_login,
                   c.id as customer_id,
                   (select count(*)::int from user_sessions s where s.user_id = u.id and s.is_active and s.expires_at > now()) as active_sessions
            from users u left join customers c on c.user_id = u.id
            where u.id = @userId
            """, new { userId }, cancellationToken: cancellationToken));
        return detail is null ? null : detail with { Roles = await ReadAssignmentsAsync(connection, null, userId, cancellationToken) };
    }

    /// <summary>
    /// Grants a role (or changes its expiry), audited. Not found when the user or the role does not
    /// exist; an expiry that would leave no administrator for good is refused (<see cref="AdministratorRule"/>).
    /// </summary>
    public async Task<RoleAssignmentChange> AssignRoleAsync(
        long userId, string role, DateTimeOffset? expiresAt, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Only an expiry can take something away: a permanent administrator becomes a temporary one.
        var administrators = expiresAt is null ? null : await AdministratorRule.LockAsync(connection, transaction, cancellationToken);
        var old = (await ReadAssignmentsAsync(connection, transaction, userId, cancellationToken)).FirstOrDefault(a => a.Role == role);
        var assignmentId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into user_roles (user_id, role_id, assigned_by, expires_at)
            select u.id, r.id, @assignedBy, @expiresAt from users u, roles r where u.id = @userId and r.name = @role
            on conflict (user_id, role_id) do update
                set expires_at = excluded.expires_at, assigned_by = excluded.assigned_by, assigned_at = now()
            returning id
            """, new { userId, role, assignedBy = actor.UserId, expiresAt = expiresAt?.ToUniversalTime() }, transaction, cancellationToken: cancellationToken));
        if (assignmentId is null)
        {
            return new RoleAssignmentChange(RoleChangeOutcome.NotFound, null);
        }

        if (administrators is not null && await administrators.RemovedTheLastAsync(connection, transaction, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return new RoleAssignmentChange(RoleChangeOutcome.LastAdministrator, null);
        }

        var assigned = (await ReadAssignmentsAsync(connection, transaction, userId, cancellationToken)).Single(a => a.Role == role);
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("role.assign", "user_roles", assignmentId,
                old is null ? null : new { userId, old.Role, old.ExpiresAt }, new { userId, assigned.Role, assigned.ExpiresAt }),
            actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RoleAssignmentChange(RoleChangeOutcome.Changed, assigned);
    }

    /// <summary>
    /// Takes a role away, audited. Not found when the user does not hold it; refused when it would
    /// leave no administrator (<see cref="AdministratorRule"/>).
    /// </summary>
    public async Task<RoleChangeOutcome> RevokeRoleAsync(long userId, string role, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (outcome, removed) = await AdministratorRule.RemoveAsync(connection, transaction, () => connection.QuerySingleOrDefaultAsync<RemovedAssignment>(new CommandDefinition(
            """
            delete from user_roles ur using roles r
            where ur.role_id = r.id and ur.user_id = @userId and r.name = @role
            returning ur.id, ur.expires_at
            """, new { userId, role }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        if (removed is null)
        {
            return outcome;
        }

        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("role.revoke", "user_roles", removed.Id, new { userId, role, removed.ExpiresAt }, null), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return RoleChangeOutcome.Changed;
    }

    /// <summary>Ends every session of a user, audited: the revoked token hashes; null when the user does not exist.</summary>
    public async Task<IReadOnlyList<string>?> RevokeSessionsAsync(long userId, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from users where id = @userId)", new { userId }, transaction, cancellationToken: cancellationToken)))
        {
            return null;
        }

        var revoked = await UserSessionStore.RevokeAllAsync(connection, transaction, userId, "admin", cancellationToken);
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("session.revoke_all", "users", userId, null, new { revokedSessions = revoked.Count }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return revoked;
    }

    private static async Task<IReadOnlyList<RoleAssignmentRow>> ReadAssignmentsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long userId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<RoleAssignmentRow>(new CommandDefinition(
            """
            select r.name as role, ur.assigned_at, ur.assigned_by, ur.expires_at, coalesce(ur.expires_at <= now(), false) as is_expired
            from user_roles ur join roles r on r.id = ur.role_id
            where ur.user_id = @userId
            order by r.name
            """, new { userId }, transaction, cancellationToken: cancellationToken))).AsList();

    private sealed record RemovedAssignment
    {
        public long Id { get; init; }
        public DateTimeOffset? ExpiresAt { get; init; }
    }
}
