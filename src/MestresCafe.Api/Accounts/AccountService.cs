using System.Text.Json;
using MestresCafe.Api.Audit;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Api.Accounts;

/// <summary>Sign-up and the signed-in user's own profile.</summary>
public sealed class AccountService(NpgsqlDataSource db, AccountLinks links, EmailVerificationService verification)
{
    private static readonly SecurityMessage RegistrationAttempt = new("registration_attempt", "Tentativa de cadastro com o seu e-mail",
        "Alguém tentou criar uma conta na Mestres Café com este e-mail, que já tem uma conta. " +
        "Se foi você, entre com a sua senha ou peça a redefinição dela. Se não foi, ignore esta mensagem: nada mudou na sua conta.",
        SealedLink: null);

    /// <summary>
    /// Creates the user, their CRM customer row and the default role ('customer'), and sends the
    /// e-mail confirmation link. When the e-mail is taken, the account's owner is told instead
    /// (someone tried to register with it). Both cases do the same work (a password hash, a token,
    /// one transaction with a notification and an audit row) and the caller answers the same, so
    /// registration does not tell whether an e-mail has an account. Nobody is signed in: the new
    /// user signs in with the password they chose.
    /// </summary>
    public async Task RegisterAsync(RegisterRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var email = AccountRules.NormalizeEmail(request.Email!);
        var hash = PasswordHasher.Hash(request.Password!);
        var link = links.Issue(AccountLinks.EmailVerificationPath);
        var phone = string.IsNullOrEmpty(request.Phone) ? null : AccountRules.NormalizePhone(request.Phone);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long? userId;
        await using (var insert = new NpgsqlCommand(
            """
            insert into users (email, password_hash, first_name, last_name, phone, email_verification_token, email_verification_expires_at)
            values ($1, $2, $3, $4, $5, $6, now() + $7)
            on conflict (email) do nothing
            returning id
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = email });
            insert.Parameters.Add(new() { Value = hash });
            insert.Parameters.Add(new() { Value = request.FirstName!.Trim() });
            insert.Parameters.Add(new() { Value = request.LastName?.Trim() ?? "" });
            insert.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)phone ?? DBNull.Value });
            insert.Parameters.Add(new() { Value = link.TokenHash });
            insert.Parameters.Add(new() { Value = verification.Lifetime });
            userId = await insert.ExecuteScalarAsync(cancellationToken) as long?;
        }

        if (userId is { } id)
        {
            await CreateCustomerAsync(connection, transaction, id, email, request, phone, http, link, cancellationToken);
        }
        else
        {
            await TellOwnerAsync(connection, transaction, email, http, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task CreateCustomerAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, string email, RegisterRequest request, string? phone,
        HttpContext http, IssuedLink link, CancellationToken cancellationToken)
    {
        long customerId;
        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // A data-modifying CTE runs even though nothing reads it: role and customer row in one statement.
                new NpgsqlBatchCommand(
                    """
                    with default_role as (
                        insert into user_roles (user_id, role_id) select $1, id from roles where is_default
                    )
                    insert into customers (user_id) values ($1) returning id
                    """)
                {
                    Parameters = { new() { Value = userId } },
                },
                AccountLinks.Notify(email, verification.Message(link), verification.Lifetime),
            },
        })
        {
            customerId = (long)(await batch.ExecuteScalarAsync(cancellationToken))!;
        }

        await AuditLog.WriteAsync(connection, transaction, http, "user.register", "users", userId, null,
            new { email, firstName = request.FirstName!.Trim(), lastName = request.LastName?.Trim() ?? "", phone, customerId }, cancellationToken);
    }

    private async Task TellOwnerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string email, HttpContext http, CancellationToken cancellationToken)
    {
        long? ownerId;
        await using (var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("select id from users where email = $1") { Parameters = { new() { Value = email } } },
                AccountLinks.Notify(email, RegistrationAttempt, verification.Lifetime),
            },
        })
        {
            ownerId = await batch.ExecuteScalarAsync(cancellationToken) as long?;
        }

        await AuditLog.WriteAsync(connection, transaction, http, "user.register_existing", "users", ownerId, null, null, cancellationToken);
    }

    public async Task<UserProfile?> GetProfileAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await ReadProfileAsync(connection, null, userId, forUpdate: false, cancellationToken);
    }

    /// <summary>Applies the fields present in the update; audit_logs gets the old and new values.</summary>
    public async Task<UserProfile?> UpdateProfileAsync(long userId, ProfileUpdate update, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var old = await ReadProfileAsync(connection, transaction, userId, forUpdate: true, cancellationToken);
        if (old is null)
        {
            return null;
        }

        var changed = old with
        {
            FirstName = update.FirstName?.Trim() ?? old.FirstName,
            LastName = update.LastName?.Trim() ?? old.LastName,
            Phone = update.Phone is null ? old.Phone : update.Phone.Length == 0 ? null : AccountRules.NormalizePhone(update.Phone),
            AvatarUrl = update.AvatarUrl is null ? old.AvatarUrl : update.AvatarUrl.Length == 0 ? null : update.AvatarUrl,
            Bio = update.Bio is null ? old.Bio : update.Bio.Length == 0 ? null : update.Bio,
            Preferences = update.Preferences is { ValueKind: JsonValueKind.Object } preferences ? preferences : old.Preferences,
            Language = update.Language ?? old.Language,
            Timezone = update.Timezone ?? old.Timezone,
        };

        await using (var command = new NpgsqlCommand(
            """
            update users set first_name = $2, last_name = $3, phone = $4, avatar_url = $5, bio = $6,
                             preferences = $7, language = $8, timezone = $9
            where id = $1
            """, connection, transaction))
        {
            command.Parameters.Add(new() { Value = userId });
            command.Parameters.Add(new() { Value = changed.FirstName });
            command.Parameters.Add(new() { Value = changed.LastName });
            command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)changed.Phone ?? DBNull.Value });
            command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)changed.AvatarUrl ?? DBNull.Value });
            command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)changed.Bio ?? DBNull.Value });
            command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = changed.Preferences.GetRawText() });
            command.Parameters.Add(new() { Value = changed.Language });
            command.Parameters.Add(new() { Value = changed.Timezone });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditLog.WriteAsync(connection, transaction, http, "user.profile_update", "users", userId,
            EditableFields(old), EditableFields(changed), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private static object EditableFields(UserProfile p) =>
        new { p.FirstName, p.LastName, p.Phone, p.AvatarUrl, p.Bio, p.Preferences, p.Language, p.Timezone };

    private static async Task<UserProfile?> ReadProfileAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long userId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $$"""
            select u.id, u.email, u.username, u.first_name, u.last_name, u.phone, u.avatar_url, u.bio, u.preferences::text,
                   u.language, u.timezone, u.created_at, u.last_login, c.id, c.customer_number, u.email_verified_at is not null,
                   coalesce((select array_agg(r.name order by r.name)
                             from user_roles ur join roles r on r.id = ur.role_id
                             where ur.user_id = u.id and (ur.expires_at is null or ur.expires_at > now())), '{}'),
                   coalesce((select array_agg(p.name order by p.name)
                             from permissions p
                             where u.is_admin or exists (
                                 select 1 from role_permissions rp join user_roles ur on ur.role_id = rp.role_id
                                 where rp.permission_id = p.id and ur.user_id = u.id
                                   and (ur.expires_at is null or ur.expires_at > now()))), '{}')
            from users u
            left join customers c on c.user_id = u.id
            where u.id = $1 and u.is_active
            {{(forUpdate ? "for update of u" : "")}}
            """, connection, transaction);
        command.Parameters.Add(new() { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new UserProfile(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            JsonDocument.Parse(reader.GetString(8)).RootElement.Clone(),
            reader.GetString(9),
            reader.GetString(10),
            reader.GetFieldValue<DateTimeOffset>(11),
            reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
            reader.IsDBNull(13) ? null : reader.GetInt64(13),
            reader.IsDBNull(14) ? null : reader.GetString(14),
            reader.GetFieldValue<string[]>(16),
            reader.GetFieldValue<string[]>(17),
            reader.GetBoolean(15));
    }
}
