using Dapper;
using Npgsql;

namespace MestresCafe.Data.Accounts;

/// <summary>A user's roles and the permissions they grant, sorted by name.</summary>
public sealed record UserGrants
{
    public string[] Roles { get; init; } = [];
    public string[] Permissions { get; init; } = [];
    /// <summary>When the first of the user's roles with an expiry runs out; null when none will.</summary>
    public DateTimeOffset? ClaimsValidUntil { get; init; }
}

/// <summary>
/// The one place that says which roles and permissions a user has: roles from unexpired
/// assignments only (a revoked role is a deleted assignment), permissions from those roles, and
/// users.is_admin, the super-user flag (sql/README.md), grants every permission.
/// </summary>
/// <remarks>
/// The session look-up and the profile read each need the grants in the same round trip as their
/// own row, so the rule is offered as select-list columns over a <c>users</c> row aliased <c>u</c>
/// (<see cref="Columns"/>, <see cref="ClaimsValidUntilColumn"/>) that fill the members of
/// <see cref="UserGrants"/> in the caller's row.
/// </remarks>
public sealed class UserGrantsQuery(NpgsqlDataSource dataSource)
{
    /// <summary>An assignment that still counts, over <c>user_roles ur</c>.</summary>
    public const string ActiveAssignment = "(ur.expires_at is null or ur.expires_at > now())";

    /// <summary>The roles column of the <c>users u</c> row.</summary>
    public const string RolesColumn =
        $$"""
        coalesce((select array_agg(r.name order by r.name)
                  from user_roles ur join roles r on r.id = ur.role_id
                  where ur.user_id = u.id and {{ActiveAssignment}}), '{}') as roles
        """;

    /// <summary>The permissions column of the <c>users u</c> row.</summary>
    public const string PermissionsColumn =
        $$"""
        coalesce((select array_agg(p.name order by p.name)
                  from permissions p
                  where u.is_admin or exists (
                      select 1 from role_permissions rp join user_roles ur on ur.role_id = rp.role_id
                      where rp.permission_id = p.id and ur.user_id = u.id and {{ActiveAssignment}})), '{}') as permissions
        """;

    /// <summary>The roles and permissions columns of the <c>users u</c> row.</summary>
    public const string Columns = RolesColumn + ",\n" + PermissionsColumn;

    /// <summary>
    /// The claims_valid_until column of the <c>users u</c> row: a cached copy of the grants is good
    /// until then at most.
    /// </summary>
    public const string ClaimsValidUntilColumn =
        "(select min(ur.expires_at) from user_roles ur where ur.user_id = u.id and ur.expires_at > now()) as claims_valid_until";

    /// <summary>The grants of an active user; null when the user does not exist or is inactive.</summary>
    public async Task<UserGrants?> GetAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserGrants>(new CommandDefinition(
            $"select {Columns}, {ClaimsValidUntilColumn} from users u where u.id = @userId and u.is_active", new { userId }, cancellationToken: cancellationToken));
    }
}
