using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Accounts;

/// <summary>password_resets: single-use, expiring tokens, kept only as their SHA-256.</summary>
public sealed class PasswordResetStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Issues a token when an active account has this e-mail, voiding the older ones, and queues
    /// <paramref name="message"/>. An unknown e-mail runs the same statements in one round trip and
    /// writes the same audit row, so neither the answer nor its time tells whether the account exists.
    /// </summary>
    public async Task IssueAsync(
        string email, string tokenHash, TimeSpan lifetime, SecurityMessage message, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var userId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"""
            with target as (
                select id from users where email = @email and is_active for update
            ), voided as (
                -- Only the newest token works: an older message in a mailbox is dead.
                update password_resets set is_used = true where user_id in (select id from target) and not is_used
            ), issued as (
                insert into password_resets (user_id, token, expires_at) select id, @tokenHash, now() + @lifetime from target
            )
            select id from target;
            {SecurityNotification.Insert}
            """,
            SecurityNotification.Parameters(new { email, tokenHash, lifetime }, email, message, lifetime),
            transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("user.password_reset_request", "users", userId, null, null), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Whether the token is unused and unexpired (a cheap check before a password is hashed).</summary>
    public async Task<bool> IsUsableAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from password_resets where token = @tokenHash and not is_used and expires_at > now())",
            new { tokenHash }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Spends the token, sets the new password, marks the e-mail verified (the reset proves the
    /// user holds the mailbox) and ends every session of the user, with an audit row, in one
    /// transaction. The user and the revoked session token hashes; null when the token is unknown, used or expired.
    /// </summary>
    public async Task<PasswordResetDone?> ResetAsync(string tokenHash, string passwordHash, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The conditional update is what makes the token single-use under concurrency.
        var userId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "update password_resets set is_used = true, used_at = now() where token = @tokenHash and not is_used and expires_at > now() returning user_id",
            new { tokenHash }, transaction, cancellationToken: cancellationToken));
        if (userId is not { } id)
        {
            return null;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "update users set password_hash = @passwordHash, email_verified_at = coalesce(email_verified_at, now()) where id = @id",
            new { id, passwordHash }, transaction, cancellationToken: cancellationToken));
        var revoked = await UserSessionStore.RevokeAllAsync(connection, transaction, id, "password_reset", cancellationToken);
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("user.password_reset", "users", id, null, new { revokedSessions = revoked.Count }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PasswordResetDone(id, revoked);
    }
}

/// <summary>A password reset stored: whose, and the token hashes of the sessions it ended.</summary>
public sealed record PasswordResetDone(long UserId, IReadOnlyList<string> RevokedTokenHashes);
