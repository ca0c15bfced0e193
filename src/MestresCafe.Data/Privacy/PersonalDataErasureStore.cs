using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using MestresCafe.Data.Accounts;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Privacy;

public enum ErasureSource
{
    Self,
    Staff,
}

public enum ErasureOutcome
{
    Erased,
    AlreadyErased,
    NotFound,
    /// <summary>The account holds a staff role: those are taken away first (it may be the last administrator).</summary>
    StaffAccount,
}

/// <summary>The account as an erasure needs it: whether it may be erased, its password, the orders whose grains hold addresses.</summary>
public sealed record ErasureTarget
{
    public long UserId { get; init; }
    public string? PasswordHash { get; init; }
    public bool IsStaff { get; init; }
    public DateTimeOffset? ErasedAt { get; init; }
    public IReadOnlyList<string> OrderNumbers { get; init; } = [];
}

/// <summary>What the erasure changed outside PostgreSQL's reach: sessions to mark revoked in Redis, product pages whose reviews named the person.</summary>
public sealed record ErasureResult(
    ErasureOutcome Outcome, DateTimeOffset? ErasedAt, IReadOnlyList<string> RevokedTokenHashes, IReadOnlyList<string> ReviewedProductSlugs)
{
    public static readonly ErasureResult NotFound = new(ErasureOutcome.NotFound, null, [], []);
    public static readonly ErasureResult StaffAccount = new(ErasureOutcome.StaffAccount, null, [], []);
}

/// <summary>
/// LGPD erasure in PostgreSQL: every place a person's data lives (docs/LGPD.md lists them with
/// what each keeps), anonymised in one transaction with its audit row. Running it again on an
/// erased account repeats the statements (they find nothing left to change) without a second audit
/// row, so a retry after a failure half-way through the caller's later steps finishes the job.
/// </summary>
public sealed class PersonalDataErasureStore(NpgsqlDataSource dataSource)
{
    /// <summary>What anonymised text reads as: no value that could point back at the person.</summary>
    public const string Erased = "[apagado]";

    /// <summary>The e-mail an erased account keeps (users.email is unique and required): reserved, never deliverable.</summary>
    public static string ErasedEmail(string kind, long id) => string.Create(CultureInfo.InvariantCulture, $"apagado-{kind}{id}@anonimo.invalid");

    public async Task<ErasureTarget?> FindAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var target = await connection.QuerySingleOrDefaultAsync<ErasureTarget>(new CommandDefinition(
            """
            select u.id as user_id, u.password_hash, e.erased_at,
                   u.is_admin or exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
                                         where ur.user_id = u.id and r.name <> 'customer') as is_staff
            from users u left join personal_data_erasures e on e.user_id = u.id
            where u.id = @userId
            """, new { userId }, cancellationToken: cancellationToken));
        if (target is null)
        {
            return null;
        }

        var orders = await connection.QueryAsync<string>(new CommandDefinition(
            "select order_number from orders where user_id = @userId", new { userId }, cancellationToken: cancellationToken));
        return target with { OrderNumbers = orders.AsList() };
    }

    public async Task<ErasureResult> EraseAsync(long userId, ErasureSource source, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var person = await connection.QuerySingleOrDefaultAsync<PersonRow>(new CommandDefinition(
            """
            select u.id, u.email, u.first_name, u.last_name, u.phone, u.username,
                   c.id as customer_id, c.tax_id, c.company_name, c.customer_type,
                   c.billing_address::text as billing_address, c.shipping_address::text as shipping_address,
                   (select coalesce(jsonb_agg(o.shipping_address) || jsonb_agg(o.billing_address), '[]')::text
                    from orders o where o.user_id = u.id) as order_addresses,
                   u.is_admin or exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
                                         where ur.user_id = u.id and r.name <> 'customer') as is_staff
            from users u left join customers c on c.user_id = u.id
            where u.id = @userId
            for update of u
            """, new { userId }, transaction, cancellationToken: cancellationToken));
        if (person is null)
        {
            return ErasureResult.NotFound;
        }

        if (person.IsStaff)
        {
            return ErasureResult.StaffAccount;
        }

        var statements = new ErasureStatements(connection, transaction, userId, person.CustomerId, cancellationToken);
        var erasedEmail = ErasedEmail("u", userId);
        var pattern = ScrubPattern(person);
        var revoked = await UserSessionStore.RevokeAllAsync(connection, transaction, userId, "erasure", cancellationToken);
        var slugs = (await connection.QueryAsync<string>(new CommandDefinition(
            "select p.slug from product_reviews r join products p on p.id = r.product_id where r.user_id = @userId",
            new { userId }, transaction, cancellationToken: cancellationToken))).AsList();

        // Rows found through the old e-mail first, while it is still the account's.
        await statements.RunAsync(
            """
            update login_attempts set email = @erasedEmail, ip_address = null, user_agent = null where email = @email;
            delete from newsletter_subscriptions where email = @email;
            update campaign_recipients set email = 'apagado-r' || id || '@anonimo.invalid', tracking_data = '{}'
            where email = @email or customer_id = @customerId;
            update leads set first_name = null, last_name = null, phone = null, notes = null,
                             email = 'apagado-l' || id || '@anonimo.invalid'
            where email = @email;
            delete from simulated_text_messages where message_id in (select message_id from outbound_messages where user_id = @userId);
            delete from text_message_preferences where user_id = @userId;
            update outbound_messages
            set recipient = @erasedEmail, data = '{}', subject = @erased, html_body = null, text_body = null,
                smtp_reply = null, last_error = case when status in ('pending', 'sending') then 'erased' else null end,
                failed_at = case when status in ('pending', 'sending') then now() else failed_at end,
                lease_token = null, lease_until = null,
                status = case when status in ('pending', 'sending') then 'failed' else status end
            where user_id = @userId or recipient = @email;
            """, new { erasedEmail, person.Email, erased = Erased });

        await statements.RunAsync(
            """
            update users
            set email = @erasedEmail, username = null, password_hash = null, first_name = '', last_name = '', phone = null,
                avatar_url = null, bio = null, preferences = '{}', is_active = false
            where id = @userId;
            update user_sessions set ip_address = null, user_agent = null where user_id = @userId;
            delete from password_resets where user_id = @userId;
            delete from notifications where user_id = @userId;
            delete from customer_payment_methods where user_id = @userId;
            delete from shopping_cart where user_id = @userId;
            delete from wishlist where user_id = @userId;
            delete from personal_data_exports where user_id = @userId;
            delete from marketing_consents where user_id = @userId;
            update orders
            set shipping_address = case when shipping_address is null then null
                                        else jsonb_build_object('city', shipping_address->'city', 'state', shipping_address->'state') end,
                billing_address = case when billing_address is null then null
                                       else jsonb_build_object('city', billing_address->'city', 'state', billing_address->'state') end,
                notes = null
            where user_id = @userId;
            update returns set notes = null where order_id in (select id from orders where user_id = @userId);
            update system_logs set ip_address = null, user_agent = null where user_id = @userId;
            """, new { erasedEmail });

        if (person.CustomerId is not null)
        {
            await statements.RunAsync(
                """
                update customers
                set tax_id = null, state_registration = null, billing_address = null, shipping_address = null, notes = null, birth_date = null, is_active = false,
                    company_name = case when customer_type = 'business' then 'Cliente removido ' || customer_number end
                where id = @customerId;
                delete from customer_addresses where customer_id = @customerId;
                update customer_communications set subject = null, content = null where customer_id = @customerId;
                update automation_executions
                set execution_data = '{}',
                    status = case when status in ('pending', 'running', 'waiting') then 'cancelled' else status end,
                    completed_at = case when status in ('pending', 'running', 'waiting') then now() else completed_at end,
                    due_at = null
                where customer_id = @customerId;
                """, null);
        }

        if (pattern is not null)
        {
            // Free text and JSON that may quote the person (audit values, logs, dead letters): each
            // value of theirs replaced wherever it appears, in the rows that concern them.
            await statements.RunAsync(
                """
                update audit_logs
                set old_values = regexp_replace(old_values::text, @pattern, @erased, 'gi')::jsonb,
                    new_values = regexp_replace(new_values::text, @pattern, @erased, 'gi')::jsonb
                where (user_id = @userId or (table_name = 'users' and record_id = @userId)
                       or (table_name = 'customers' and record_id = @customerId)
                       or (table_name = 'orders' and record_id in (select id from orders where user_id = @userId))
                       or table_name in ('leads', 'lead_activities'))
                  and (old_values::text ~* @pattern or new_values::text ~* @pattern);
                update system_logs
                set message = regexp_replace(message, @pattern, @erased, 'gi'),
                    context = regexp_replace(context::text, @pattern, @erased, 'gi')::jsonb
                where user_id = @userId and (message ~* @pattern or context::text ~* @pattern);
                update projection_dead_letters set payload = regexp_replace(payload::text, @pattern, @erased, 'gi')::jsonb
                where payload::text ~* @pattern;
                update lead_activities set description = regexp_replace(description, @pattern, @erased, 'gi')
                where description ~* @pattern;
                """, new { pattern, erased = Erased });
        }

        await statements.RunAsync("update audit_logs set ip_address = null, user_agent = null where user_id = @userId", null);

        var erasedAt = await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition(
            """
            insert into personal_data_erasures (user_id, source, requested_by) values (@userId, @source, @requestedBy)
            on conflict (user_id) do nothing
            returning erased_at
            """, new { userId, source = source.ToString().ToLowerInvariant(), requestedBy = actor.UserId == userId ? null : actor.UserId },
            transaction, cancellationToken: cancellationToken));
        var first = erasedAt is not null;
        if (first)
        {
            // Nothing personal in the audit row: which account, who asked, what was ended.
            await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("privacy.erasure", "users", userId, null,
                new { source = source.ToString().ToLowerInvariant(), revokedSessions = revoked.Count, reviews = slugs.Count }),
                actor with { Ip = actor.UserId == userId ? null : actor.Ip, UserAgent = actor.UserId == userId ? null : actor.UserAgent },
                cancellationToken);
        }
        else
        {
            erasedAt = await connection.ExecuteScalarAsync<DateTimeOffset>(new CommandDefinition(
                "select erased_at from personal_data_erasures where user_id = @userId", new { userId }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return new ErasureResult(first ? ErasureOutcome.Erased : ErasureOutcome.AlreadyErased, erasedAt, revoked, slugs);
    }

    /// <summary>
    /// A case-insensitive pattern matching any of the person's values long enough to identify them
    /// (names, e-mail, phone, CPF/CNPJ, street, postal code...). Null when nothing is left (erased before).
    /// </summary>
    internal static string? ScrubPattern(PersonRow person)
    {
        var values = new List<string?> { person.Email, person.FirstName, person.LastName, person.Phone, person.Username, person.TaxId };
        if (person.CustomerType == "individual")
        {
            values.Add(person.CompanyName);
        }

        if (!string.IsNullOrEmpty(person.FirstName) && !string.IsNullOrEmpty(person.LastName))
        {
            values.Add(person.FirstName + " " + person.LastName);
        }

        foreach (var json in new[] { person.BillingAddress, person.ShippingAddress, person.OrderAddresses })
        {
            if (json is not null)
            {
                using var document = JsonDocument.Parse(json);
                CollectAddressValues(document.RootElement, values);
            }
        }

        var distinct = values
            .Where(v => v is { Length: >= 4 } && !v.StartsWith("apagado-", StringComparison.Ordinal))
            .Select(v => v!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(v => v.Length) // the full name before its parts
            .Select(RegexLiteral)
            .ToList();
        return distinct.Count == 0 ? null : string.Join('|', distinct);
    }

    // City and state stay with the orders (tax); every other string of an address is the person's.
    private static readonly HashSet<string> KeptAddressFields = new(StringComparer.OrdinalIgnoreCase) { "city", "state", "country" };

    private static void CollectAddressValues(JsonElement element, List<string?> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectAddressValues(item, values);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && !KeptAddressFields.Contains(property.Name))
                    {
                        values.Add(property.Value.GetString());
                    }
                    else if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        CollectAddressValues(property.Value, values);
                    }
                }

                break;
        }
    }

    // PostgreSQL's regular expressions take a backslash before any non-alphanumeric as that literal character.
    private static string RegexLiteral(string value) => Regex.Replace(value, @"[^\p{L}\p{N}]", m => "\\" + m.Value);

    internal sealed record PersonRow
    {
        public long Id { get; init; }
        public string Email { get; init; } = "";
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Phone { get; init; }
        public string? Username { get; init; }
        public long? CustomerId { get; init; }
        public string? TaxId { get; init; }
        public string? CompanyName { get; init; }
        public string? CustomerType { get; init; }
        public string? BillingAddress { get; init; }
        public string? ShippingAddress { get; init; }
        public string? OrderAddresses { get; init; }
        public bool IsStaff { get; init; }
    }

    /// <summary>The erasure's statements share one connection, transaction and the account's ids.</summary>
    private sealed class ErasureStatements(NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, long? customerId, CancellationToken cancellationToken)
    {
        public Task RunAsync(string sql, object? extra)
        {
            var parameters = new DynamicParameters(extra);
            parameters.Add("userId", userId);
            parameters.Add("customerId", customerId, System.Data.DbType.Int64);
            return connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        }
    }
}
