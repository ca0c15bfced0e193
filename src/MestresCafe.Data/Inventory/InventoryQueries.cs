using Dapper;
using Npgsql;

namespace MestresCafe.Data.Inventory;

public sealed record InventoryListItem(
    string Sku, string Name, string Location, int Available, int Reserved, int Sold, int ReorderPoint, int ReorderQuantity, decimal? CostPrice);

public sealed record InventoryListPage(IReadOnlyList<InventoryListItem> Items, int Page, int PageSize, long Total);

public sealed record MovementItem(string Type, int Quantity, string? ReferenceType, string? Notes, DateTimeOffset CreatedAt);

/// <summary>Back-office reads of the inventory read side (the rows the inventory grains project).</summary>
public sealed class InventoryQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Items nearest to (or under) their reorder point first.</summary>
    public async Task<InventoryListPage> ListAsync(bool lowStockOnly, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<InventoryListRow>(new CommandDefinition(
            """
            select coalesce(v.sku, p.sku) as sku, p.name || coalesce(' - ' || v.name, '') as name, i.location,
                   i.quantity_available as available, i.quantity_reserved as reserved, i.quantity_sold as sold,
                   i.reorder_point, i.reorder_quantity, i.cost_price, count(*) over () as total
            from inventory i
            join products p on p.id = i.product_id
            left join product_variants v on v.id = i.variant_id
            where not @lowStockOnly or i.quantity_available <= i.reorder_point
            order by i.quantity_available - i.reorder_point, p.name
            limit @limit offset @offset
            """, new { lowStockOnly, limit = pageSize, offset = (page - 1) * pageSize }, cancellationToken: cancellationToken))).AsList();
        var items = rows.Select(r => new InventoryListItem(r.Sku, r.Name, r.Location, r.Available, r.Reserved, r.Sold, r.ReorderPoint, r.ReorderQuantity, r.CostPrice)).ToList();
        return new InventoryListPage(items, page, pageSize, rows.Count > 0 ? rows[0].Total : 0);
    }

    /// <summary>The movements of one item at one location, newest first.</summary>
    public async Task<IReadOnlyList<MovementItem>> MovementsAsync(string sku, string location, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<MovementItem>(new CommandDefinition(
            """
            select m.type, m.quantity, m.reference_type, m.notes, m.created_at
            from inventory_movements m
            join inventory i on i.id = m.inventory_id
            join products p on p.id = i.product_id
            left join product_variants v on v.id = i.variant_id
            where i.location = @location and coalesce(v.sku, p.sku) = @sku
            order by m.created_at desc
            limit @limit
            """, new { sku, location, limit }, cancellationToken: cancellationToken))).AsList();
    }

    private sealed record InventoryListRow(
        string Sku, string Name, string Location, int Available, int Reserved, int Sold, int ReorderPoint, int ReorderQuantity, decimal? CostPrice, long Total);
}
