using Dapper;
using MestresCafe.Payments;
using Npgsql;

namespace MestresCafe.Data.Payments;

/// <summary>A saved card as its owner sees it: never the token.</summary>
public sealed record SavedCard(long Id, string Type, string Brand, string LastFour, int ExpiryMonth, int ExpiryYear, bool IsDefault, DateTimeOffset CreatedAt);

/// <summary>A saved card's token for a payment, with its expiry to check first.</summary>
public sealed record SavedCardForPayment(string Token, int ExpiryMonth, int ExpiryYear);

/// <summary>
/// customer_payment_methods: a customer's saved cards. Every method takes the owner's user id and
/// finds nothing of anyone else's. The token and brand are stored encrypted (<see cref="CardVault"/>);
/// last four digits and expiry in clear, as the customer sees them.
/// </summary>
public sealed class CustomerPaymentMethodStore(NpgsqlDataSource dataSource, CardVault vault)
{
    private const string Provider = "simulated";
    private const string Columns = "id, type, encrypted_data->>'protected' as protected, last_four, expiry_month, expiry_year, is_default, created_at";

    public async Task<IReadOnlyList<SavedCard>> ListAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"select {Columns} from customer_payment_methods where user_id = @userId order by is_default desc, created_at desc, id desc",
            new { userId }, cancellationToken: cancellationToken));
        return rows.Select(ToCard).ToList();
    }

    /// <summary>Saves a card the gateway tokenized; the customer's first card, or one asked to be, becomes the default.</summary>
    public async Task<SavedCard> AddAsync(long userId, string token, CardTokenDetails card, bool makeDefault, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockOwnerAsync(connection, transaction, userId, cancellationToken);
        var isDefault = makeDefault || !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from customer_payment_methods where user_id = @userId)", new { userId }, transaction, cancellationToken: cancellationToken));
        if (isDefault)
        {
            await ClearDefaultAsync(connection, transaction, userId, cancellationToken);
        }

        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            $"""
            insert into customer_payment_methods (user_id, type, provider, encrypted_data, last_four, expiry_month, expiry_year, is_default)
            values (@userId, 'credit_card', @provider, jsonb_build_object('v', 1, 'protected', @protectedData), @lastFour, @month, @year, @isDefault)
            returning {Columns}
            """,
            new
            {
                userId, provider = Provider, protectedData = vault.Protect(new SavedCardSecret(token, card.Brand)), lastFour = card.LastFour,
                month = card.ExpiryMonth.ToString("00", System.Globalization.CultureInfo.InvariantCulture),
                year = card.ExpiryYear.ToString(System.Globalization.CultureInfo.InvariantCulture), isDefault,
            }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return ToCard(row);
    }

    /// <summary>Makes the owner's card the default; false when the owner has no such card.</summary>
    public async Task<bool> SetDefaultAsync(long userId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockOwnerAsync(connection, transaction, userId, cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from customer_payment_methods where id = @id and user_id = @userId)", new { id, userId }, transaction, cancellationToken: cancellationToken)))
        {
            return false;
        }

        await ClearDefaultAsync(connection, transaction, userId, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update customer_payment_methods set is_default = true, updated_at = now() where id = @id and user_id = @userId", new { id, userId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes the owner's card; false when the owner has no such card.</summary>
    public async Task<bool> DeleteAsync(long userId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from customer_payment_methods where id = @id and user_id = @userId", new { id, userId }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The owner's card's token for a charge; null when the owner has no such card or its data cannot be read.</summary>
    public async Task<SavedCardForPayment?> ForPaymentAsync(long userId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"select {Columns} from customer_payment_methods where id = @id and user_id = @userId", new { id, userId }, cancellationToken: cancellationToken));
        return row is not null && row.Protected is { } data && vault.Unprotect(data) is { } secret
            ? new SavedCardForPayment(secret.Token, int.Parse(row.ExpiryMonth, System.Globalization.CultureInfo.InvariantCulture), int.Parse(row.ExpiryYear, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>
    /// LGPD erasure: removes every saved card of the user (tokens, last digits, expiry). Nothing of
    /// a saved card is kept for tax purposes: orders keep their own payment records. Returns the rows removed.
    /// </summary>
    public async Task<int> EraseForUserAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from customer_payment_methods where user_id = @userId", new { userId }, cancellationToken: cancellationToken));
    }

    /// <summary>Default changes of one customer run one at a time: two first cards saved at once do not both become the default.</summary>
    private static Task LockOwnerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select 1 from users where id = @userId for update", new { userId }, transaction, cancellationToken: cancellationToken));

    private static Task ClearDefaultAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "update customer_payment_methods set is_default = false, updated_at = now() where user_id = @userId and is_default",
            new { userId }, transaction, cancellationToken: cancellationToken));

    private SavedCard ToCard(Row row) => new(
        row.Id, row.Type, (row.Protected is { } data ? vault.Unprotect(data)?.Brand : null) ?? "unknown", row.LastFour ?? "",
        int.Parse(row.ExpiryMonth, System.Globalization.CultureInfo.InvariantCulture), int.Parse(row.ExpiryYear, System.Globalization.CultureInfo.InvariantCulture),
        row.IsDefault, row.CreatedAt);

    private sealed record Row
    {
        public long Id { get; init; }
        public string Type { get; init; } = "";
        public string? Protected { get; init; }
        public string? LastFour { get; init; }
        public string ExpiryMonth { get; init; } = "01";
        public string ExpiryYear { get; init; } = "2000";
        public bool IsDefault { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }
}
