using System.Text.Json;
using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Customers;

/// <summary>One address of a book, as the customer gave it (trimmed; state upper-case, postal code digits only).</summary>
public sealed record AddressFields(
    string? Label, string RecipientName, string Street, string Number, string? Complement, string District,
    string City, string State, string PostalCode, string? Phone);

/// <summary>A stored address, for checkout.</summary>
public sealed class StoredAddress
{
    public long Id { get; init; }
    public string RecipientName { get; init; } = "";
    public string Street { get; init; } = "";
    public string Number { get; init; } = "";
    public string? Complement { get; init; }
    public string District { get; init; } = "";
    public string City { get; init; } = "";
    public string State { get; init; } = "";
    public string PostalCode { get; init; } = "";
    public string? Phone { get; init; }
}

/// <summary>An address-book write: the change, or why it was refused (the field and the message).</summary>
public sealed record AddressBookWrite(RowChange? Change, string? Field, string? Refusal)
{
    public static AddressBookWrite Refused(string field, string message) => new(null, field, message);
}

/// <summary>
/// A customer's address book. Every write locks the customer's row first, so the book's changes
/// are serialized and its rule holds: while the book has addresses, exactly one is the default for
/// billing and one for shipping (the first address is both; naming another default moves it;
/// removing a default hands it to the newest address left). At most <see cref="MaxAddresses"/>.
/// </summary>
public sealed class CustomerAddressStore(NpgsqlDataSource dataSource)
{
    public const int MaxAddresses = 20;

    private const string Image = "select a.id, to_jsonb(a)::text as row from customer_addresses a where a.id = @id";

    public async Task<IReadOnlyList<JsonElement>> ListAsync(long customerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonElement>(new CommandDefinition(
            "select to_jsonb(a)::text from customer_addresses a where a.customer_id = @customerId order by a.id",
            new { customerId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The user's address <paramref name="id"/>; null when it does not exist or is another customer's.</summary>
    public async Task<StoredAddress?> FindForUserAsync(long userId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredAddress>(new CommandDefinition(
            """
            select a.id, a.recipient_name, a.street, a.number, a.complement, a.district, a.city, a.state, a.postal_code, a.phone
            from customer_addresses a join customers c on c.id = a.customer_id
            where a.id = @id and c.user_id = @userId
            """, new { id, userId }, cancellationToken: cancellationToken));
    }

    public async Task<AddressBookWrite> CreateAsync(
        WriteScope write, long customerId, AddressFields fields, bool? defaultBilling, bool? defaultShipping, CancellationToken cancellationToken)
    {
        var count = await LockBookAsync(write, customerId, cancellationToken);
        if (count >= MaxAddresses)
        {
            return AddressBookWrite.Refused("body", $"An address book keeps at most {MaxAddresses} addresses: remove one first.");
        }

        // The first address is the default of both kinds; a later one only when asked.
        var billing = count == 0 || defaultBilling == true;
        var shipping = count == 0 || defaultShipping == true;
        await ClearDefaultsAsync(write, customerId, billing, shipping, cancellationToken);
        var id = await write.Connection.QuerySingleAsync<long>(new CommandDefinition(
            """
            insert into customer_addresses (customer_id, label, recipient_name, street, number, complement, district, city, state,
                                            postal_code, phone, is_default_billing, is_default_shipping)
            values (@customerId, @Label, @RecipientName, @Street, @Number, @Complement, @District, @City, @State, @PostalCode, @Phone,
                    @billing, @shipping)
            returning id
            """,
            new
            {
                customerId, fields.Label, fields.RecipientName, fields.Street, fields.Number, fields.Complement, fields.District, fields.City,
                fields.State, fields.PostalCode, fields.Phone, billing, shipping,
            }, write.Transaction, cancellationToken: cancellationToken));
        return new AddressBookWrite(new RowChange(id, null, await ImageAsync(write, id, cancellationToken)), null, null);
    }

    /// <summary>Replaces the address's fields; a default flag of true moves that default here, false on the current default is refused.</summary>
    public async Task<AddressBookWrite?> UpdateAsync(
        WriteScope write, long customerId, long id, AddressFields fields, bool? defaultBilling, bool? defaultShipping, CancellationToken cancellationToken)
    {
        await LockBookAsync(write, customerId, cancellationToken);
        var old = await FindForUpdateAsync(write, customerId, id, cancellationToken);
        if (old is null)
        {
            return null;
        }

        var (wasBilling, wasShipping) = (old.Value.GetProperty("is_default_billing").GetBoolean(), old.Value.GetProperty("is_default_shipping").GetBoolean());
        if ((wasBilling && defaultBilling == false) || (wasShipping && defaultShipping == false))
        {
            return AddressBookWrite.Refused(wasBilling && defaultBilling == false ? "isDefaultBilling" : "isDefaultShipping",
                "This is the default address: make another address the default instead.");
        }

        var billing = wasBilling || defaultBilling == true;
        var shipping = wasShipping || defaultShipping == true;
        await ClearDefaultsAsync(write, customerId, billing && !wasBilling, shipping && !wasShipping, cancellationToken);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            update customer_addresses set label = @Label, recipient_name = @RecipientName, street = @Street, number = @Number,
                   complement = @Complement, district = @District, city = @City, state = @State, postal_code = @PostalCode, phone = @Phone,
                   is_default_billing = @billing, is_default_shipping = @shipping, updated_at = now()
            where id = @id
            """,
            new
            {
                id, fields.Label, fields.RecipientName, fields.Street, fields.Number, fields.Complement, fields.District, fields.City,
                fields.State, fields.PostalCode, fields.Phone, billing, shipping,
            }, write.Transaction, cancellationToken: cancellationToken));
        return new AddressBookWrite(new RowChange(id, old, await ImageAsync(write, id, cancellationToken)), null, null);
    }

    /// <summary>Removes the address; a default it held passes to the newest address left. Null when there is no such address of this customer.</summary>
    public async Task<RowChange?> DeleteAsync(WriteScope write, long customerId, long id, CancellationToken cancellationToken)
    {
        await LockBookAsync(write, customerId, cancellationToken);
        var old = await FindForUpdateAsync(write, customerId, id, cancellationToken);
        if (old is null)
        {
            return null;
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            delete from customer_addresses where id = @id;
            update customer_addresses set is_default_billing = true, updated_at = now()
            where id = (select max(id) from customer_addresses where customer_id = @customerId)
              and not exists (select 1 from customer_addresses where customer_id = @customerId and is_default_billing);
            update customer_addresses set is_default_shipping = true, updated_at = now()
            where id = (select max(id) from customer_addresses where customer_id = @customerId)
              and not exists (select 1 from customer_addresses where customer_id = @customerId and is_default_shipping);
            """, new { id, customerId }, write.Transaction, cancellationToken: cancellationToken));
        return new RowChange(id, old, null);
    }

    /// <summary>Locks the customer's row (every write of one book queues here) and counts its addresses.</summary>
    private static async Task<int> LockBookAsync(WriteScope write, long customerId, CancellationToken cancellationToken) =>
        await write.Connection.QuerySingleAsync<int>(new CommandDefinition(
            """
            select (select count(*)::int from customer_addresses where customer_id = c.id) from customers c where c.id = @customerId for update
            """, new { customerId }, write.Transaction, cancellationToken: cancellationToken));

    private static async Task ClearDefaultsAsync(WriteScope write, long customerId, bool billing, bool shipping, CancellationToken cancellationToken)
    {
        if (billing || shipping)
        {
            await write.Connection.ExecuteAsync(new CommandDefinition(
                """
                update customer_addresses
                set is_default_billing = is_default_billing and not @billing, is_default_shipping = is_default_shipping and not @shipping, updated_at = now()
                where customer_id = @customerId and ((@billing and is_default_billing) or (@shipping and is_default_shipping))
                """, new { customerId, billing, shipping }, write.Transaction, cancellationToken: cancellationToken));
        }
    }

    private static async Task<JsonElement?> FindForUpdateAsync(WriteScope write, long customerId, long id, CancellationToken cancellationToken) =>
        (await write.Connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(
            Image + " and a.customer_id = @customerId for update", new { id, customerId }, write.Transaction, cancellationToken: cancellationToken)))?.Row;

    private static async Task<JsonElement?> ImageAsync(WriteScope write, long id, CancellationToken cancellationToken) =>
        (await write.Connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(
            Image, new { id }, write.Transaction, cancellationToken: cancellationToken)))?.Row;
}
