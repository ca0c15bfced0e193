using System.Text.Json;
using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Customers;

/// <summary>What the customer (or staff for them) says they are: type, tax id and, for a company, its name and state registration.</summary>
public sealed record CustomerProfileWrite(string CustomerType, string? TaxId, string? CompanyName, string? StateRegistration);

/// <summary>What only staff set on a customer record.</summary>
public sealed record CustomerStaffWrite(string? Notes, bool IsActive);

/// <summary>
/// The CRM record of a buyer (one per user). It is created with the account, or at the latest when
/// the buyer first asks for it or first orders (<see cref="EnsureForUserAsync"/>, idempotent), so
/// every buyer has one without a back-fill. Writes run inside the caller's <see cref="WriteScope"/>,
/// which also writes their audit row, and return the record's image before and after.
/// </summary>
public sealed class CustomerStore(NpgsqlDataSource dataSource)
{
    /// <summary>The customer row with the identity fields it does not copy (they stay on users).</summary>
    internal const string ImageColumns = """
        (to_jsonb(c) - 'billing_address' - 'shipping_address' || jsonb_build_object(
            'email', u.email, 'first_name', u.first_name, 'last_name', u.last_name, 'phone', u.phone))
        """;

    private const string ImageById = $"select c.id, {ImageColumns}::text as row from customers c join users u on u.id = c.user_id where c.id = @id";

    /// <summary>The user's customer id, creating the record when the user has none (a buyer from before records, an imported account).</summary>
    public async Task<long> EnsureForUserAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            // The insert runs only for a user without a record, so reads do not use up customer
            // numbers. A concurrent first insert that commits after this statement's snapshot is
            // neither inserted again nor seen by its select: the next statement sees it.
            if (await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                """
                with created as (insert into customers (user_id)
                                 select @userId where not exists (select 1 from customers where user_id = @userId)
                                 on conflict (user_id) do nothing returning id)
                select id from created union all select id from customers where user_id = @userId
                limit 1
                """, new { userId }, cancellationToken: cancellationToken)) is { } id)
            {
                return id;
            }
        }
    }

    /// <summary>The customer's image, or null.</summary>
    public async Task<JsonElement?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(ImageById, new { id }, cancellationToken: cancellationToken)))?.Row;
    }

    /// <summary>Staff's search: by customer number, tax id, e-mail, name or company name; newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> SearchAsync(
        string? search, string? customerType, bool? active, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonElement>(new CommandDefinition(
            $"""
            select {ImageColumns}::text
            from customers c join users u on u.id = c.user_id
            where (@customerType::text is null or c.customer_type = @customerType)
              and (@active::boolean is null or c.is_active = @active)
              and (@search::text is null
                   or c.customer_number = upper(@search)
                   or c.tax_id = @taxId
                   or u.email = lower(@search)
                   or lower(c.company_name) like '%' || lower(@search) || '%'
                   or lower(u.first_name || ' ' || u.last_name) like '%' || lower(@search) || '%')
            order by c.id desc
            limit @pageSize offset @offset
            """,
            new
            {
                search, customerType, active, pageSize, offset = (page - 1) * pageSize,
                taxId = search is null ? null : new string(search.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant(),
            },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Replaces the profile fields (and, for staff, notes and the active flag); null when there is no such customer.</summary>
    public async Task<RowChange?> UpdateAsync(
        WriteScope write, long id, CustomerProfileWrite profile, CustomerStaffWrite? staff, CancellationToken cancellationToken)
    {
        var old = await LockAsync(write, id, cancellationToken);
        if (old is null)
        {
            return null;
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            update customers set customer_type = @CustomerType, tax_id = @TaxId, company_name = @CompanyName,
                   state_registration = @StateRegistration,
                   notes = case when @HasStaff then @Notes else notes end,
                   is_active = case when @HasStaff then @IsActive else is_active end,
                   updated_at = now()
            where id = @Id
            """,
            new
            {
                Id = id, profile.CustomerType, profile.TaxId, profile.CompanyName, profile.StateRegistration,
                HasStaff = staff is not null, staff?.Notes, IsActive = staff?.IsActive ?? true,
            },
            write.Transaction, cancellationToken: cancellationToken));
        return new RowChange(id, old, await ImageAsync(write, id, cancellationToken));
    }

    /// <summary>Sets or (null) clears the birth date; null when there is no such customer.</summary>
    public async Task<RowChange?> SetBirthDateAsync(WriteScope write, long id, DateOnly? birthDate, CancellationToken cancellationToken)
    {
        var old = await LockAsync(write, id, cancellationToken);
        if (old is null)
        {
            return null;
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            "update customers set birth_date = @birthDate::date, updated_at = now() where id = @id",
            new { id, birthDate = birthDate?.ToDateTime(TimeOnly.MinValue) }, write.Transaction, cancellationToken: cancellationToken));
        return new RowChange(id, old, await ImageAsync(write, id, cancellationToken));
    }

    /// <summary>The image of the customer, locked for the rest of the transaction; null when absent.</summary>
    internal static async Task<JsonElement?> LockAsync(WriteScope write, long id, CancellationToken cancellationToken) =>
        (await write.Connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(
            ImageById + " for update of c", new { id }, write.Transaction, cancellationToken: cancellationToken)))?.Row;

    internal static async Task<JsonElement?> ImageAsync(WriteScope write, long id, CancellationToken cancellationToken) =>
        (await write.Connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(
            ImageById, new { id }, write.Transaction, cancellationToken: cancellationToken)))?.Row;
}
