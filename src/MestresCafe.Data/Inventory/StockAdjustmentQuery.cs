using Dapper;
using Npgsql;

namespace MestresCafe.Data.Inventory;

public sealed record StockAdjustmentItem(
    long Id, string Sku, string Name, string Location, string Reason, int QuantityChange, decimal? CostImpact, string? Notes,
    DateTimeOffset CreatedAt, long? CreatedBy, string? CreatedByEmail);

public sealed record StockAdjustmentPage(IReadOnlyList<StockAdjustmentItem> Items, int Page, int PageSize, long Total);

/// <summary>Filters of the stock adjustment list; every one optional.</summary>
public sealed record StockAdjustmentFilter(string? Reason, long? UserId, string? Sku, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>The stock adjustments (counting, breakage, loss...) for audits: who, why, when, newest first.</summary>
public sealed class StockAdjustmentQuery(NpgsqlDataSource dataSource)
{
    public async Task<StockAdjustmentPage> ListAsync(StockAdjustmentFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            select a.id, coalesce(v.sku, p.sku) as sku, p.name || coalesce(' - ' || v.name, '') as name, i.location, a.reason,
                   a.quantity_change, a.cost_impact, a.notes, a.created_at, a.created_by, u.email as created_by_email, count(*) over () as total
            from stock_adjustments a
            join inventory i on i.id = a.inventory_id
            join products p on p.id = i.product_id
            left join product_variants v on v.id = i.variant_id
            left join users u on u.id = a.created_by
            where (@reason::text is null or a.reason = @reason)
              and (@userId::bigint is null or a.created_by = @userId)
              and (@sku::text is null or coalesce(v.sku, p.sku) = @sku)
              and (@from::timestamptz is null or a.created_at >= @from)
              and (@to::timestamptz is null or a.created_at < @to)
            order by a.created_at desc, a.id desc
            limit @limit offset @offset
            """,
            new { reason = filter.Reason, userId = filter.UserId, sku = filter.Sku, from = filter.From, to = filter.To, limit = pageSize, offset = (page - 1) * pageSize },
            cancellationToken: cancellationToken))).AsList();
        return new StockAdjustmentPage(
            rows.Select(r => new StockAdjustmentItem(r.Id, r.Sku, r.Name, r.Location, r.Reason, r.QuantityChange, r.CostImpact, r.Notes, r.CreatedAt, r.CreatedBy, r.CreatedByEmail)).ToList(),
            page, pageSize, rows.Count > 0 ? rows[0].Total : 0);
    }

    private sealed record Row(
        long Id, string Sku, string Name, string Location, string Reason, int QuantityChange, decimal? CostImpact, string? Notes,
        DateTimeOffset CreatedAt, long? CreatedBy, string? CreatedByEmail, long Total);
}
