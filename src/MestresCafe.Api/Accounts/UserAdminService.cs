using MestresCafe.Api.Security;
using MestresCafe.Data.Accounts;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Back office over users and roles. Every change is audited in its own transaction and pushed to
/// the user's cached sessions and profile (<see cref="UserGrantsChangedAsync"/>), so new permissions (or
/// their loss) apply on the next request on every server.
/// </summary>
public sealed class UserAdminService(UserAdminStore store, SessionStore sessions, SessionCache sessionCache, ProfileCache profiles)
{
    public async Task<IReadOnlyList<RoleView>> ListRolesAsync(CancellationToken cancellationToken) =>
        (await store.ListRolesAsync(cancellationToken)).Select(r => new RoleView(r.Id, r.Name, r.Description, r.IsDefault, r.Permissions)).ToList();

    public async Task<UserPage> ListUsersAsync(string? search, string? role, int page, int pageSize, CancellationToken cancellationToken)
    {
        var rows = await store.ListUsersAsync(search, role, pageSize, (long)(page - 1) * pageSize, cancellationToken);
        var items = rows.Select(u => new UserSummary(u.Id, u.Email, u.FirstName, u.LastName, u.IsActive, u.IsAdmin, u.CreatedAt, u.LastLogin, u.Roles)).ToList();
        return new UserPage(items, page, pageSize, rows.Count == 0 ? 0 : rows[^1].Total);
    }

    public async Task<UserDetail?> GetUserAsync(long userId, CancellationToken cancellationToken) =>
        await store.GetUserAsync(userId, cancellationToken) is { } u
            ? new UserDetail(u.Id, u.Email, u.Username, u.FirstName, u.LastName, u.Phone, u.IsActive, u.IsAdmin, u.CreatedAt, u.LastLogin,
                u.CustomerId, u.Roles.Select(ToAssignment).ToList(), u.ActiveSessions)
            : null;

    /// <summary>Grants a role (or changes its expiry); not found when the user or the role does not exist.</summary>
    public async Task<RoleAssignmentChange> AssignRoleAsync(long userId, string role, DateTimeOffset? expiresAt, HttpContext http, CancellationToken cancellationToken)
    {
        var change = await store.AssignRoleAsync(userId, role, expiresAt, AuditActors.From(http), cancellationToken);
        if (change.Outcome == RoleChangeOutcome.Changed)
        {
            await UserGrantsChangedAsync(userId, cancellationToken);
        }

        return change;
    }

    /// <summary>Takes a role away; not found when the user does not hold it.</summary>
    public async Task<RoleChangeOutcome> RevokeRoleAsync(long userId, string role, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await store.RevokeRoleAsync(userId, role, AuditActors.From(http), cancellationToken);
        if (outcome == RoleChangeOutcome.Changed)
        {
            await UserGrantsChangedAsync(userId, cancellationToken);
        }

        return outcome;
    }

    /// <summary>Ends every session of a user (a stolen device, a departing employee). Null when the user does not exist.</summary>
    public async Task<SessionsRevoked?> RevokeSessionsAsync(long userId, HttpContext http, CancellationToken cancellationToken)
    {
        if (await store.RevokeSessionsAsync(userId, AuditActors.From(http), cancellationToken) is not { } revoked)
        {
            return null;
        }

        await sessionCache.MarkRevokedAsync(revoked);
        return new SessionsRevoked(revoked.Count);
    }

    /// <summary>The user's roles or permissions changed: their sessions reload them and their profile is dropped, on every server.</summary>
    private async Task UserGrantsChangedAsync(long userId, CancellationToken cancellationToken)
    {
        await sessions.InvalidateUserAsync(userId, cancellationToken);
        await profiles.DropAsync(userId);
    }

    public static RoleAssignment ToAssignment(RoleAssignmentRow a) => new(a.Role, a.AssignedAt, a.AssignedBy, a.ExpiresAt, a.IsExpired);
}
