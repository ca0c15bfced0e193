using Dapper;
using MestresCafe.Customers;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Customers;

/// <summary>
/// A B2B account's credit in the relational model: the terms the back office sets (credit limit,
/// payment terms), which the credit grain reads right before each decision, and the balance the
/// grain projects (its open invoices), idempotent by the grain's state version.
/// </summary>
public sealed class CreditAccountStore(NpgsqlDataSource dataSource)
{
    // Named as the record's constructor parameters (Dapper matches them ignoring case).
    private const string TermsColumns = """
        c.id as customerid, c.user_id as userid, c.customer_type as customertype, c.is_active as isactive,
        c.credit_limit as creditlimit, c.payment_terms as paymentterms
        """;

    /// <summary>The account's terms by its user (the credit grain's key); null when the user has no customer record.</summary>
    public async Task<CreditAccountTerms?> TermsForUserAsync(long userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CreditAccountTerms>(new CommandDefinition(
            $"select {TermsColumns} from customers c where c.user_id = @userId", new { userId }, cancellationToken: cancellationToken));
    }

    /// <summary>The account's terms by customer id (staff's routes); null when there is no such customer.</summary>
    public async Task<CreditAccountTerms?> TermsAsync(long customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CreditAccountTerms>(new CommandDefinition(
            $"select {TermsColumns} from customers c where c.id = @customerId", new { customerId }, cancellationToken: cancellationToken));
    }

    /// <summary>The credit grain's projection: the balance of its open invoices, applied only when newer than the one stored.</summary>
    public async Task ApplyBalanceAsync(long userId, decimal balance, long version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update customers set current_balance = @balance, credit_state_version = @version, updated_at = now()
            where user_id = @userId and credit_state_version < @version
            """, new { userId, balance, version }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Staff set (or withdraw) an account's terms inside the caller's audited transaction: the
    /// record's image before and after, null when there is no such customer.
    /// </summary>
    public async Task<RowChange?> SetTermsAsync(WriteScope write, long customerId, decimal creditLimit, string paymentTerms, CancellationToken cancellationToken)
    {
        var old = await CustomerStore.LockAsync(write, customerId, cancellationToken);
        if (old is null)
        {
            return null;
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            "update customers set credit_limit = @creditLimit, payment_terms = @paymentTerms, updated_at = now() where id = @customerId",
            new { customerId, creditLimit, paymentTerms }, write.Transaction, cancellationToken: cancellationToken));
        return new RowChange(customerId, old, await CustomerStore.ImageAsync(write, customerId, cancellationToken));
    }
}
