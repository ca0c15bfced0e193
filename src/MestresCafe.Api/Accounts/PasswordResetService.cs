using System.Globalization;
using System.Text.Json;
using MestresCafe.Api.Audit;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Password reset by a single-use, expiring token. Only its SHA-256 is stored (password_resets);
/// the token itself goes to the user in a 'security' notification (there is no mail server: the
/// notifications table is the outbox a mailer would read).
/// </summary>
public sealed class PasswordResetService(NpgsqlDataSource db, SessionStore sessions, SessionCache sessionCache, IOptions<AccountOptions> options)
{
    private readonly TimeSpan _lifetime = options.Value.PasswordResetLifetime;

    /// <summary>Issues a token when an active account has this e-mail; does nothing otherwise (the caller answers the same).</summary>
    public async Task RequestAsync(string email, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long userId;
        await using (var find = new NpgsqlCommand("select id from users where email = $1 and is_active for update", connection, transaction))
        {
            find.Parameters.Add(new() { Value = email });
            if (await find.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                return;
            }

            userId = id;
        }

        var token = SessionTokens.New();
        var minutes = ((int)_lifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // Only the newest token works: an older message in a mailbox is dead.
                new NpgsqlBatchCommand("update password_resets set is_used = true where user_id = $1 and not is_used")
                {
                    Parameters = { new() { Value = userId } },
                },
                new NpgsqlBatchCommand("insert into password_resets (user_id, token, expires_at) values ($1, $2, now() + $3)")
                {
                    Parameters = { new() { Value = userId }, new() { Value = SessionTokens.Hash(token) }, new() { Value = _lifetime } },
                },
                new NpgsqlBatchCommand("insert into notifications (user_id, type, title, content, data, expires_at) values ($1, 'security', $2, $3, $4, now() + $5)")
                {
                    Parameters =
                    {
                        new() { Value = userId },
                        new() { Value = "Redefinição de senha" },
                        new()
                        {
                            Value = $"Recebemos um pedido para redefinir a senha da sua conta Mestres Café. " +
                                    $"Use este código em até {minutes} minutos: {token}\n" +
                                    "Se não foi você, ignore esta mensagem: a sua senha continua a mesma.",
                        },
                        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(new { kind = "password_reset", token }) },
                        new() { Value = _lifetime },
                    },
                },
            },
        })
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditLog.WriteAsync(connection, transaction, http, "user.password_reset_request", "users", userId, null, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Sets the new password if the token is unused and unexpired, spends it, and ends every
    /// session of the user. False when the token is unknown, used or expired.
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
            "update password_resets set is_used = true where token = $1 and not is_used and expires_at > now() returning user_id",
            connection, transaction))
        {
            spend.Parameters.Add(new() { Value = tokenHash });
            if (await spend.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                return false;
            }

            userId = id;
        }

        await using (var update = new NpgsqlCommand("update users set password_hash = $2 where id = $1", connection, transaction))
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
