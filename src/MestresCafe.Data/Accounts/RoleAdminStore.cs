using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Accounts;

public sealed record PermissionRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Resource { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Description { get; init; }
}

/// <summary>How a change of roles ended; <see cref="LastAdministrator"/> changed nothing (<see cref="AdministratorRule"/>).</summary>
public enum RoleChangeOutcome
{
    Changed,
    NotFound,
    LastAdministrator,
}

/// <summary>
/// A change of what a role grants, and the sessions that carry the role's old grants in their
/// cached copy: the caller marks them stale so every server reloads them on their next request.
/// </summary>
public sealed record RoleGrantChange(RoleChangeOutcome Outcome, IReadOnlyList<string> StaleSessionHashes)
{
    public static RoleGrantChange Refused(RoleChangeOutcome outcome) => new(outcome, []);
}

/// <summary>
/// The back office over role definitions: create roles, grant and revoke permissions. Each change
/// writes its audit row in its own transaction; revoking goes through <see cref="AdministratorRule"/>.
/// </summary>
public sealed class RoleAdminStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<PermissionRow>> ListPermissionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<PermissionRow>(new CommandDefinition(
            "select id, name, resource, action, description from permissions order by name", cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>A new role granting nothing yet, audited; null when the name is taken.</summary>
    public async Task<RoleRow?> CreateRoleAsync(string name, string? description, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = await connection.QuerySingleOrDefaultAsync<RoleRow>(new CommandDefinition(
            """
            insert into roles (name, description) values (@name, @description)
            on conflict (name) do nothing
            returning id, name, description, is_default
            """, new { name, description }, transaction, cancellationToken: cancellationToken));
        if (created is null)
        {
            return null;
        }

        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("role.create", "roles", created.Id, null, new { created.Name, created.Description }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>Makes a role grant a permission, audited; granting it again changes nothing and is no error.</summary>
    public async Task<RoleGrantChange> GrantAsync(string role, string permission, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await FindAsync(connection, transaction, role, permission, cancellationToken) is not { } pair)
        {
            return RoleGrantChange.Refused(RoleChangeOutcome.NotFound);
        }

        var grantId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into role_permissions (role_id, permission_id, granted_by) values (@RoleId, @PermissionId, @grantedBy)
            on conflict (role_id, permission_id) do nothing
            returning id
            """, new { pair.RoleId, pair.PermissionId, grantedBy = actor.UserId }, transaction, cancellationToken: cancellationToken));
        if (grantId is null)
        {
            return new RoleGrantChange(RoleChangeOutcome.Changed, []);
        }

        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("role.grant_permission", "role_permissions", grantId, null, new { role, permission }), actor, cancellationToken);
        var stale = await SessionsOfRoleAsync(connection, transaction, pair.RoleId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RoleGrantChange(RoleChangeOutcome.Changed, stale);
    }

    /// <summary>
    /// Stops a role granting a permission, audited. Not found when either is unknown or the role
    /// does not grant it; refused when no administrator would be left.
    /// </summary>
    public async Task<RoleGrantChange> RevokeAsync(string role, string permission, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (outcome, removed) = await AdministratorRule.RemoveAsync(connection, transaction, () => connection.QuerySingleOrDefaultAsync<RemovedGrant>(new CommandDefinition(
            """
            delete from role_permissions rp using roles r, permissions p
            where rp.role_id = r.id and rp.permission_id = p.id and r.name = @role and p.name = @permission
            returning rp.id, rp.role_id, rp.granted_at, rp.granted_by
            """, new { role, permission }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        if (removed is null)
        {
            return RoleGrantChange.Refused(outcome);
        }

        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("role.revoke_permission", "role_permissions", removed.Id,
                new { role, permission, removed.GrantedAt, removed.GrantedBy }, null), actor, cancellationToken);
        var stale = await SessionsOfRoleAsync(connection, transaction, removed.RoleId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RoleGrantChange(RoleChangeOutcome.Changed, stale);
    }

    private static Task<RolePermissionPair?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string role, string permission, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<RolePermissionPair?>(new CommandDefinition(
            "select r.id as role_id, p.id as permission_id from roles r, permissions p where r.name = @role and p.name = @permission",
            new { role, permission }, transaction, cancellationToken: cancellationToken));

    // Every session of a user who holds the role (expired assignments too: reloading them costs one read).
    private static async Task<IReadOnlyList<string>> SessionsOfRoleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long roleId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            """
            select s.session_token from user_sessions s
            where s.is_active and s.expires_at > now()
              and s.user_id in (select ur.user_id from user_roles ur where ur.role_id = @roleId)
            """, new { roleId }, transaction, cancellationToken: cancellationToken))).AsList();

    private sealed record RolePermissionPair
    {
        public long RoleId { get; init; }
        public long PermissionId { get; init; }
    }

    private sealed record RemovedGrant
    {
        public long Id { get; init; }
        public long RoleId { get; init; }
        public DateTimeOffset GrantedAt { get; init; }
        public long? GrantedBy { get; init; }
    }
}
