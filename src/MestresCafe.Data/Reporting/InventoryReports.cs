namespace MestresCafe.Data.Reporting;

/// <summary>
/// Stock as it is now (no date range). Digital products (courses) carry a nominal quantity and are
/// not stock, so they are left out. Cost: the inventory row's, else the variant's, else the product's.
/// </summary>
internal static class InventoryReports
{
    private const string Items = """
        from inventory i
        join products p on p.id = i.product_id
        left join product_variants v on v.id = i.variant_id
        where not p.is_digital
        """;

    private const string Cost = "coalesce(i.cost_price, v.cost_price, p.cost_price, 0)";

    public static readonly ReportDefinition Summary = new("inventory-summary",
        "Units available, reserved and sold, stock valuation at cost (available + reserved) and items at or under their reorder point.",
        $"""
        select count(*) as items,
               coalesce(sum(i.quantity_available), 0) as available,
               coalesce(sum(i.quantity_reserved), 0) as reserved,
               coalesce(sum(i.quantity_sold), 0) as sold,
               coalesce(sum((i.quantity_available + i.quantity_reserved) * {Cost}), 0) as valuation_at_cost,
               count(*) filter (where i.quantity_available <= i.reorder_point) as at_or_below_reorder_point
        {Items}
        """, UsesRange: false);

    public static readonly ReportDefinition ByItem = new("inventory",
        "Every stocked item: quantities, cost, valuation and whether it is at or under its reorder point.",
        $"""
        select coalesce(v.sku, p.sku) as sku, p.name || coalesce(' - ' || v.name, '') as name, i.location,
               i.quantity_available as available, i.quantity_reserved as reserved, i.quantity_sold as sold,
               i.reorder_point, {Cost} as unit_cost,
               (i.quantity_available + i.quantity_reserved) * {Cost} as valuation_at_cost,
               i.quantity_available <= i.reorder_point as at_or_below_reorder_point
        {Items}
        order by at_or_below_reorder_point desc, valuation_at_cost desc, sku
        """, UsesRange: false);

    public static readonly ReportDefinition StockAlerts = new("stock-alerts",
        "Items at or under their reorder point, the emptiest first, with the quantity to reorder.",
        $"""
        select coalesce(v.sku, p.sku) as sku, p.name || coalesce(' - ' || v.name, '') as name, i.location,
               i.quantity_available as available, i.quantity_reserved as reserved,
               i.reorder_point, i.reorder_quantity
        {Items} and i.quantity_available <= i.reorder_point
        order by i.quantity_available - i.reorder_point, sku
        """, UsesRange: false);
}
