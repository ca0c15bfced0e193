using System.Globalization;
using MestresCafe.Api.Audit;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Password reset by a single-use, expiring token sent as a link (<see cref="AccountLinks"/>):
/// password_resets keeps only its SHA-256, the 'security' notification keeps the link sealed.
/// </summary>
public sealed class PasswordResetService(
    NpgsqlDataSource db, AccountLinks links, SessionStore sessions, SessionCache sessionCache, IOptions<AccountOptions> options)
{
    private readonly TimeSpan _lifetime = options.Value.PasswordResetLifetime;

    /// <summary>
    /// Issues a token when an active account has this e-mail. An unknown e-mail costs the same
    /// work (the token, the sealing, the same statements in one round trip, an audit row), so
    /// neither the answer nor its time tells whether the account exists.
    /// </summary>
    public async Task RequestAsync(string email, HttpContext http, CancellationToken cancellationToken)
    {
        var link = links.Issue(AccountLinks.PasswordResetPath);
        var minutes = ((int)_lifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        var message = new SecurityMessage("password_reset", "Redefinição de senha",
            "Recebemos um pedido para redefinir a senha da sua conta Mestres Café. " +
            $"Abra o link desta mensagem em até {minutes} minutos para escolher uma nova senha.\n" +
            "Se não foi você, ignore esta mensagem: a sua senha continua a mesma.",
            link.SealedLink);

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long? userId;
        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    with target as (
                        select id from users where email = $1 and is_active for update
                    ), voided as (
                        -- Only the newest token works: an older message in a mailbox is dead.
                        update password_resets set is_used = true where user_id in (select id from target) and not is_used
                    ), issued as (
                        insert into password_resets (user_id, token, expires_at) select id, $2, now() + $3 from target
                    )
                    select id from target
                    """)
                {
                    Parameters = { new() { Value = email }, new() { Value = link.TokenHash }, new() { Value = _lifetime } },
                },
                AccountLinks.Notify(email, message, _lifetime),
            },
        })
        {
            userId = await batch.ExecuteScalarAsync(cancellationToken) as long?;
        }

        await AuditLog.WriteAsync(connection, transaction, http, "user.password_reset_request", "users", userId, null, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Sets the new password if the token is unused and unexpired, spends it, and ends every
    /// session of the user. The reset proves the user holds the mailbox: the e-mail counts as
    /// verified and failed sign-ins before it no longer lock the account. False when the token is
    /// unknown, used or expired.
    /// </summary>
    public async Task<bool> ConfirmAsync(string token, string newPassword, HttpContext http, CancellationToken cancellationToken)
    {
        var tokenHash = SessionTokens.Hash(token);
        // Checked before hashing so that invalid tokens cost no password hash.
        await using (var check = db.CreateCommand("select 1 from password_resets where token = $1 and not is_used and expires_at > now()"))
        {
            check.Parameters.Add(new() { Value = tokenHash });
            if (await check.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }
        }

        var passwordHash = PasswordHasher.Hash(newPassword);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long userId;
        // The conditional update is what makes the token single-use under concurrency.
        await using (var spend = new NpgsqlCommand(
            "update password_resets set is_used = true, used_at = now() where token = $1 and not is_used and expires_at > now() returning user_id",
            connection, transaction))
        {
            spend.Parameters.Add(new() { Value = tokenHash });
            if (await spend.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                return false;
            }

            userId = id;
        }

        await using (var update = new NpgsqlCommand(
            "update users set password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) where id = $1", connection, transaction))
        {
            update.Parameters.Add(new() { Value = userId });
            update.Parameters.Add(new() { Value = passwordHash });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var revoked = await sessions.RevokeAllAsync(connection, transaction, userId, "password_reset", cancellationToken);
        await AuditLog.WriteAsync(connection, transaction, http, "user.password_reset", "users", userId, null,
            new { revokedSessions = revoked.Count }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await sessionCache.MarkRevokedAsync(revoked);
        return true;
    }
}
