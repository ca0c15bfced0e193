using Dapper;
using Npgsql;

namespace MestresCafe.Data.Accounts;

/// <summary>
/// Who administers the store, and the rule that someone always does.
/// </summary>
/// <remarks>
/// An administrator is an active user who holds <see cref="Permission"/> for good: through a role
/// assignment without an expiry, or through <c>users.is_admin</c> (the super-user flag only SQL
/// sets). Whoever holds that permission can give any role any permission, so losing the last
/// holder locks everybody out of the back office. Every change that can take the permission away
/// from someone (revoking a role, giving an assignment an expiry, revoking the permission from a
/// role) and the first-admin bootstrap take <see cref="LockAsync"/> first, make the change, and
/// ask the guard before committing: two concurrent removals queue on the lock, so the second one
/// counts after the first committed and is refused if it would leave nobody.
/// Changes that only add grants need no lock: they can never break the rule.
/// </remarks>
public static class AdministratorRule
{
    /// <summary>The permission that makes an administrator: managing roles and their permissions.</summary>
    public const string Permission = "roles:write";

    /// <summary>The role the first administrator gets (it grants <see cref="Permission"/>, migration 0046).</summary>
    public const string Role = "admin";

    private const string Administrators =
        $"""
        from users u
        where u.is_active and (u.is_admin or exists (
            select 1 from user_roles ur
            join role_permissions rp on rp.role_id = ur.role_id
            join permissions p on p.id = rp.permission_id
            where ur.user_id = u.id and p.name = '{Permission}' and ur.expires_at is null))
        """;

    /// <summary>
    /// Before a change that may take the permission from someone: serializes it with every other
    /// such change (a row lock on the permission itself, held until the transaction ends) and notes
    /// whether any administrator exists before it.
    /// </summary>
    public static async Task<AdministratorGuard> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "select id from permissions where name = @Permission for update", new { Permission }, transaction, cancellationToken: cancellationToken));
        return new AdministratorGuard(await AnyAsync(connection, transaction, cancellationToken));
    }

    /// <summary>
    /// A removal (a delete returning the removed row) under the lock: not found when it removed
    /// nothing, rolled back and refused when it removed the last administrator. The caller audits
    /// and commits a <see cref="RoleChangeOutcome.Changed"/> one.
    /// </summary>
    public static async Task<(RoleChangeOutcome Outcome, T? Removed)> RemoveAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Func<Task<T?>> remove, CancellationToken cancellationToken)
        where T : class
    {
        var guard = await LockAsync(connection, transaction, cancellationToken);
        if (await remove() is not { } removed)
        {
            return (RoleChangeOutcome.NotFound, null);
        }

        if (await guard.RemovedTheLastAsync(connection, transaction, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return (RoleChangeOutcome.LastAdministrator, null);
        }

        return (RoleChangeOutcome.Changed, removed);
    }

    /// <summary>Whether at least one administrator exists, as this transaction sees it.</summary>
    public static Task<bool> AnyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"select exists (select 1 {Administrators})", transaction: transaction, cancellationToken: cancellationToken));
}

/// <summary>Taken by <see cref="AdministratorRule.LockAsync"/> before a change, asked after it.</summary>
public sealed record AdministratorGuard(bool AnyBefore)
{
    /// <summary>
    /// True when the change just made removed the last administrator: the caller rolls it back. A
    /// store that had none before (a database nobody bootstrapped yet) is not refused changes.
    /// </summary>
    public async Task<bool> RemovedTheLastAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        AnyBefore && !await AdministratorRule.AnyAsync(connection, transaction, cancellationToken);
}
