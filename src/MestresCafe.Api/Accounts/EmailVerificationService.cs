using MestresCafe.Api.Audit;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Api.Accounts;

public enum VerificationRequestOutcome
{
    Sent,
    AlreadyVerified,
    NotFound,
}

/// <summary>
/// E-mail confirmation by a single-use link (<see cref="AccountLinks"/>), sent at registration and
/// again on request. users keeps the SHA-256 of the one pending token. A verified e-mail is what
/// makes a first-order coupon usable: one mailbox, one first order.
/// </summary>
public sealed class EmailVerificationService(NpgsqlDataSource db, AccountLinks links, IOptions<AccountOptions> options)
{
    public TimeSpan Lifetime { get; } = options.Value.EmailVerificationLifetime;

    /// <summary>The confirmation message for a new token.</summary>
    public SecurityMessage Message(IssuedLink link) =>
        new("email_verification", "Confirme o seu e-mail",
            "Boas-vindas à Mestres Café! Abra o link desta mensagem em até " +
            $"{(int)Lifetime.TotalHours} horas para confirmar o seu e-mail. " +
            "Com o e-mail confirmado, o cupom de primeira compra fica disponível.\n" +
            "Se não foi você quem criou a conta, ignore esta mensagem.",
            link.SealedLink);

    /// <summary>A new link for a signed-in user whose e-mail is not verified yet; it replaces the pending one.</summary>
    public async Task<VerificationRequestOutcome> SendAgainAsync(long userId, HttpContext http, CancellationToken cancellationToken)
    {
        var link = links.Issue(AccountLinks.EmailVerificationPath);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string email;
        await using (var find = new NpgsqlCommand(
            "select email, email_verified_at is not null from users where id = $1 and is_active for update", connection, transaction))
        {
            find.Parameters.Add(new() { Value = userId });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return VerificationRequestOutcome.NotFound;
            }

            if (reader.GetBoolean(1))
            {
                return VerificationRequestOutcome.AlreadyVerified;
            }

            email = reader.GetString(0);
        }

        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("update users set email_verification_token = $2, email_verification_expires_at = now() + $3 where id = $1")
                {
                    Parameters = { new() { Value = userId }, new() { Value = link.TokenHash }, new() { Value = Lifetime } },
                },
                AccountLinks.Notify(email, Message(link), Lifetime),
            },
        })
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditLog.WriteAsync(connection, transaction, http, "user.email_verification_request", "users", userId, null, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return VerificationRequestOutcome.Sent;
    }

    /// <summary>Marks the e-mail verified and spends the token. False when the token is unknown, spent or expired.</summary>
    public async Task<bool> ConfirmAsync(string token, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long userId;
        await using (var verify = new NpgsqlCommand(
            """
            update users set email_verified_at = coalesce(email_verified_at, now()),
                             email_verification_token = null, email_verification_expires_at = null
            where email_verification_token = $1 and email_verification_expires_at > now() and is_active
            returning id
            """, connection, transaction))
        {
            verify.Parameters.Add(new() { Value = SessionTokens.Hash(token) });
            if (await verify.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                return false;
            }

            userId = id;
        }

        await AuditLog.WriteAsync(connection, transaction, http, "user.email_verified", "users", userId, null,
            new { emailVerified = true }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
