using Dapper;
using Npgsql;

namespace MestresCafe.Data.Customers;

/// <summary>An invoiced order not yet paid, as staff's receivables list shows it.</summary>
public sealed record OpenInvoiceRow
{
    public string OrderNumber { get; init; } = "";
    public long UserId { get; init; }
    public long? CustomerId { get; init; }
    public string? CustomerNumber { get; init; }
    public string? CompanyName { get; init; }
    public decimal Amount { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    /// <summary>Whole days past the due date on the day asked about; 0 when not yet due.</summary>
    public int DaysOverdue { get; init; }
}

/// <summary>
/// Staff's receivables: invoiced orders whose payment is still pending, by due date, optionally
/// only those overdue on a given day. Read from the projected orders and payments.
/// </summary>
public sealed class InvoiceQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<OpenInvoiceRow>> OpenAsync(
        DateTimeOffset asOf, bool overdueOnly, long? customerId, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<OpenInvoiceRow>(new CommandDefinition(
            """
            select o.order_number, o.user_id, c.id as customer_id, c.customer_number, c.company_name, p.amount, o.status,
                   o.created_at, o.payment_due_at as due_at,
                   greatest(0, (@asOf at time zone 'America/Sao_Paulo')::date - (o.payment_due_at at time zone 'America/Sao_Paulo')::date) as days_overdue
            from orders o
            join payments p on p.order_id = o.id and p.status = 'pending'
            join payment_methods pm on pm.id = p.payment_method_id and pm.type = 'invoice'
            left join customers c on c.user_id = o.user_id
            where o.paid_at is null and o.status in ('processing', 'shipped', 'delivered')
              and (not @overdueOnly or o.payment_due_at <= @asOf)
              and (@customerId::bigint is null or c.id = @customerId)
            order by o.payment_due_at, o.id
            limit @pageSize offset @offset
            """,
            new { asOf, overdueOnly, customerId, pageSize, offset = (page - 1) * pageSize }, cancellationToken: cancellationToken))).ToList();
    }
}
