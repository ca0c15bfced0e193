using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Accounts;

/// <summary>A sign-up, normalized and hashed by the caller.</summary>
public sealed record NewAccount(
    string Email, string PasswordHash, string FirstName, string LastName, string? Phone, string VerificationTokenHash, TimeSpan VerificationLifetime);

/// <summary>
/// Sign-up: the user, their CRM customer row and the default role, or (when the e-mail is taken) a
/// note to the account's owner. Both paths run the same number of statements in one transaction,
/// each with a notification and an audit row, so the work does not tell whether the e-mail has an
/// account.
/// </summary>
public sealed class RegistrationStore(NpgsqlDataSource dataSource)
{
    public async Task RegisterAsync(
        NewAccount account, SecurityMessage verification, SecurityMessage ownerNotice, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var userId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into users (email, password_hash, first_name, last_name, phone, email_verification_token, email_verification_expires_at)
            values (@Email, @PasswordHash, @FirstName, @LastName, @Phone, @VerificationTokenHash, now() + @VerificationLifetime)
            on conflict (email) do nothing
            returning id
            """, account, transaction, cancellationToken: cancellationToken));

        if (userId is { } id)
        {
            // A data-modifying CTE runs even though nothing reads it: role and customer row in one statement.
            var customerId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"""
                with default_role as (
                    insert into user_roles (user_id, role_id) select @id, id from roles where is_default
                )
                insert into customers (user_id) values (@id) returning id;
                {SecurityNotification.Insert}
                """,
                SecurityNotification.Parameters(new { id }, account.Email, verification, account.VerificationLifetime),
                transaction, cancellationToken: cancellationToken));
            await AuditTrail.WriteAsync(connection, transaction,
                new AuditEntry("user.register", "users", id, null,
                    new { email = account.Email, firstName = account.FirstName, lastName = account.LastName, phone = account.Phone, customerId }),
                actor, cancellationToken);
        }
        else
        {
            var ownerId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                $"""
                select id from users where email = @email;
                {SecurityNotification.Insert}
                """,
                SecurityNotification.Parameters(new { email = account.Email }, account.Email, ownerNotice, account.VerificationLifetime),
                transaction, cancellationToken: cancellationToken));
            await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("user.register_existing", "users", ownerId, null, null), actor, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
