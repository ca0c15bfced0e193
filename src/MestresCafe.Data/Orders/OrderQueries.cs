using Dapper;
using Npgsql;

namespace MestresCafe.Data.Orders;

public sealed record OrderSummary(string OrderNumber, string Status, decimal Total, DateTimeOffset CreatedAt, long Items);

public sealed record AdminOrderRow(string OrderNumber, long UserId, string Email, string Status, decimal Total, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, string? TrackingNumber);

public sealed record AdminOrderPage(IReadOnlyList<AdminOrderRow> Items, int Page, int PageSize, long Total);

/// <summary>Filters of the back-office order list; null means any.</summary>
public sealed record AdminOrderFilter(string? Status, long? UserId, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>Reads of the orders read side (the rows the order grains project): a customer's list and the back-office list.</summary>
public sealed class OrderQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The customer's orders, newest first.</summary>
    public async Task<IReadOnlyList<OrderSummary>> ForCustomerAsync(long userId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<OrderSummary>(new CommandDefinition(
            """
            select order_number, status, total_amount as total, created_at, (select count(*) from order_items i where i.order_id = o.id) as items
            from orders o where user_id = @userId order by created_at desc limit @limit
            """, new { userId, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Orders matching <paramref name="filter"/>, newest first, one page.</summary>
    public async Task<AdminOrderPage> ListAsync(AdminOrderFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<AdminOrderListRow>(new CommandDefinition(
            """
            select o.order_number, o.user_id, u.email, o.status, o.total_amount as total, o.created_at, o.paid_at, o.tracking_number, count(*) over () as total_count
            from orders o join users u on u.id = o.user_id
            where (@Status::text is null or o.status = @Status) and (@UserId::bigint is null or o.user_id = @UserId)
              and (@From::timestamptz is null or o.created_at >= @From) and (@To::timestamptz is null or o.created_at < @To)
            order by o.created_at desc
            limit @limit offset @offset
            """, new { filter.Status, filter.UserId, filter.From, filter.To, limit = pageSize, offset = (page - 1) * pageSize },
            cancellationToken: cancellationToken))).AsList();
        var items = rows.Select(r => new AdminOrderRow(r.OrderNumber, r.UserId, r.Email, r.Status, r.Total, r.CreatedAt, r.PaidAt, r.TrackingNumber)).ToList();
        return new AdminOrderPage(items, page, pageSize, rows.Count > 0 ? rows[0].TotalCount : 0);
    }

    private sealed record AdminOrderListRow(
        string OrderNumber, long UserId, string Email, string Status, decimal Total, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, string? TrackingNumber, long TotalCount);
}
