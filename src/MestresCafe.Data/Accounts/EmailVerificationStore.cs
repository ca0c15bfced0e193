using Dapper;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Mail;
using Npgsql;

namespace MestresCafe.Data.Accounts;

public enum VerificationRenewal
{
    Renewed,
    AlreadyVerified,
    NotFound,
}

/// <summary>users.email_verification_token: the SHA-256 of the one pending confirmation token of a user.</summary>
public sealed class EmailVerificationStore(NpgsqlDataSource dataSource)
{
    public const string WelcomeTemplate = "welcome";

    /// <summary>
    /// Replaces the pending token of an active, unverified user and queues <paramref name="message"/>
    /// to them, with an audit row, in one transaction.
    /// </summary>
    public async Task<VerificationRenewal> RenewAsync(
        long userId, string tokenHash, TimeSpan lifetime, SecurityMessage message, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var user = await connection.QuerySingleOrDefaultAsync<VerificationTarget>(new CommandDefinition(
            "select email, email_verified_at is not null as verified from users where id = @userId and is_active for update",
            new { userId }, transaction, cancellationToken: cancellationToken));
        if (user is null)
        {
            return VerificationRenewal.NotFound;
        }

        if (user.Verified)
        {
            return VerificationRenewal.AlreadyVerified;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            update users set email_verification_token = @tokenHash, email_verification_expires_at = now() + @lifetime where id = @userId;
            {SecurityNotification.Insert}
            """,
            SecurityNotification.Parameters(new { userId, tokenHash, lifetime }, user.Email, message, lifetime),
            transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("user.email_verification_request", "users", userId, null, null), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return VerificationRenewal.Renewed;
    }

    /// <summary>Marks the e-mail verified and spends the token. The user's id; null when the token is unknown, spent or expired.</summary>
    public async Task<long?> ConfirmAsync(string tokenHash, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var userId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            update users set email_verified_at = coalesce(email_verified_at, now()),
                             email_verification_token = null, email_verification_expires_at = null
            where email_verification_token = @tokenHash and email_verification_expires_at > now() and is_active
            returning id
            """, new { tokenHash }, transaction, cancellationToken: cancellationToken));
        if (userId is null)
        {
            return null;
        }

        // The welcome goes once the address is confirmed (a sign-up with someone else's address sends
        // them only the confirmation), and once in the account's life: its id is the user's.
        await OutboundMessageSql.EnqueueAsync(connection, transaction,
            new OutboundMessageRequest(OutboundMessageIds.ForUser(userId.Value, WelcomeTemplate), WelcomeTemplate, userId.Value, "{}"), cancellationToken);
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("user.email_verified", "users", userId, null, new { emailVerified = true }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return userId;
    }

    private sealed record VerificationTarget
    {
        public string Email { get; init; } = "";
        public bool Verified { get; init; }
    }
}
