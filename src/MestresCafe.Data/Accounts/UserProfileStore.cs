using System.Text.Json;
using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Accounts;

/// <summary>A signed-in user's own profile, with their grants (<see cref="UserGrantsQuery"/>).</summary>
public sealed record UserProfileRow
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string? Username { get; init; }
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string? Phone { get; init; }
    public string? AvatarUrl { get; init; }
    public string? Bio { get; init; }
    /// <summary>The preferences object as JSON text.</summary>
    public string Preferences { get; init; } = "{}";
    public string Language { get; init; } = "";
    public string Timezone { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastLogin { get; init; }
    public long? CustomerId { get; init; }
    public string? CustomerNumber { get; init; }
    public bool EmailVerified { get; init; }
    public string[] Roles { get; init; } = [];
    public string[] Permissions { get; init; } = [];
    /// <summary>When the first of the user's roles with an expiry runs out: a cached copy is good until then at most.</summary>
    public DateTimeOffset? ClaimsValidUntil { get; init; }

    /// <summary>What the user may change about themselves, as it is now.</summary>
    public ProfileFields Fields => new(FirstName, LastName, Phone, AvatarUrl, Bio, Preferences, Language, Timezone);
}

/// <summary>The fields a user edits on their own profile; <see cref="Preferences"/> is a JSON object's text.</summary>
public sealed record ProfileFields(
    string FirstName, string LastName, string? Phone, string? AvatarUrl, string? Bio, string Preferences, string Language, string Timezone);

/// <summary>users as the signed-in user sees and edits it.</summary>
public sealed class UserProfileStore(NpgsqlDataSource dataSource)
{
    /// <summary>The profile of an active user; null otherwise.</summary>
    public async Task<UserProfileRow?> GetAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, userId, cancellationToken);
    }

    /// <summary>
    /// Locks the profile, asks <paramref name="edit"/> for the new fields, writes them and an audit
    /// row with the fields before and after, in one transaction. The profile as written; null when
    /// the user does not exist or is inactive.
    /// </summary>
    public async Task<UserProfileRow?> UpdateAsync(
        long userId, Func<UserProfileRow, ProfileFields> edit, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var old = await ReadAsync(connection, transaction, userId, cancellationToken);
        if (old is null)
        {
            return null;
        }

        var fields = edit(old);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update users set first_name = @FirstName, last_name = @LastName, phone = @Phone, avatar_url = @AvatarUrl, bio = @Bio,
                             preferences = @Preferences::jsonb, language = @Language, timezone = @Timezone
            where id = @userId
            """,
            new { userId, fields.FirstName, fields.LastName, fields.Phone, fields.AvatarUrl, fields.Bio, fields.Preferences, fields.Language, fields.Timezone },
            transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("user.profile_update", "users", userId, Audited(old.Fields), Audited(fields)), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return old with
        {
            FirstName = fields.FirstName,
            LastName = fields.LastName,
            Phone = fields.Phone,
            AvatarUrl = fields.AvatarUrl,
            Bio = fields.Bio,
            Preferences = fields.Preferences,
            Language = fields.Language,
            Timezone = fields.Timezone,
        };
    }

    // The audit row keeps preferences as the JSON object it is, not as a string holding it.
    private static object Audited(ProfileFields f) =>
        new { f.FirstName, f.LastName, f.Phone, f.AvatarUrl, f.Bio, Preferences = JsonSerializer.Deserialize<JsonElement>(f.Preferences), f.Language, f.Timezone };

    private static Task<UserProfileRow?> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long userId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<UserProfileRow>(new CommandDefinition(
            $"""
            select u.id, u.email, u.username, u.first_name, u.last_name, u.phone, u.avatar_url, u.bio, u.preferences::text as preferences,
                   u.language, u.timezone, u.created_at, u.last_login, c.id as customer_id, c.customer_number,
                   u.email_verified_at is not null as email_verified,
                   {UserGrantsQuery.Columns}, {UserGrantsQuery.ClaimsValidUntilColumn}
            from users u
            left join customers c on c.user_id = u.id
            where u.id = @userId and u.is_active
            {(transaction is null ? "" : "for update of u")}
            """, new { userId }, transaction, cancellationToken: cancellationToken));
}
