using MestresCafe.Api.Security;
using MestresCafe.Data.Accounts;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Back office over role definitions. A change of what a role grants marks the cached sessions of
/// everyone holding the role stale in Redis and empties every server's memory of sessions and
/// profiles, so every server reloads their permissions on the next request.
/// </summary>
public sealed class RoleAdminService(RoleAdminStore store, SessionCache sessionCache, ProfileCache profiles)
{
    public async Task<IReadOnlyList<PermissionView>> ListPermissionsAsync(CancellationToken cancellationToken) =>
        (await store.ListPermissionsAsync(cancellationToken)).Select(p => new PermissionView(p.Id, p.Name, p.Resource, p.Action, p.Description)).ToList();

    /// <summary>Null when the name is taken.</summary>
    public async Task<RoleView?> CreateRoleAsync(CreateRoleRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        return await store.CreateRoleAsync(request.Name!, description, AuditActors.From(http), cancellationToken) is { } role
            ? new RoleView(role.Id, role.Name, role.Description, role.IsDefault, [])
            : null;
    }

    public Task<RoleChangeOutcome> GrantAsync(string role, string permission, HttpContext http, CancellationToken cancellationToken) =>
        ApplyAsync(store.GrantAsync(role, permission, AuditActors.From(http), cancellationToken));

    public Task<RoleChangeOutcome> RevokeAsync(string role, string permission, HttpContext http, CancellationToken cancellationToken) =>
        ApplyAsync(store.RevokeAsync(role, permission, AuditActors.From(http), cancellationToken));

    // A role as wide as customer has a session per signed-in customer: marked in chunks, so each
    // batch fits in one Redis call's timeout (and is retried alone when it does not).
    private const int MarkChunk = 500;

    private async Task<RoleChangeOutcome> ApplyAsync(Task<RoleGrantChange> change)
    {
        var done = await change;
        foreach (var chunk in done.StaleSessionHashes.Chunk(MarkChunk))
        {
            await sessionCache.MarkStaleAsync(chunk);
        }

        if (done.Outcome == RoleChangeOutcome.Changed)
        {
            // Sessions and profiles kept in servers' memory carry the role's old permissions.
            await profiles.DropAllAsync();
        }

        return done.Outcome;
    }
}
