using Dapper;
using MestresCafe.Inventory;
using MestresCafe.Purchasing;
using Npgsql;

namespace MestresCafe.Data.Purchasing;

/// <summary>The preferred supplier's offer for an item.</summary>
public sealed record PreferredSupplier(
    long SupplierProductId, long SupplierId, string SupplierName, string? SupplierSku, decimal? UnitCost, int MinimumOrderQuantity, int LeadTimeDays);

/// <summary>One sellable item with what it should be reordered by (<see cref="ReorderRule"/>).</summary>
public sealed record ReorderSuggestion(
    string Sku, string Name, long ProductId, long? VariantId, int Available, int Reserved, int OnOrder, int ReorderPoint, int ReorderQuantity,
    int Sold30Days, int Sold90Days, decimal DailySales, decimal? DaysOfCover, int SuggestedQuantity, PreferredSupplier? Supplier);

/// <summary>
/// Reorder suggestions for the sellable items (active, at the default location): their stock, what
/// is on order (open purchase order lines, drafts included, so a suggestion turned into a draft is
/// not suggested again), the units sold by paid orders in the last 30 and 90 days, and the
/// preferred supplier's offer, judged by <see cref="ReorderRule"/>.
/// </summary>
public sealed class ReorderSuggestionQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ReorderSuggestion>> SuggestAsync(bool onlyToReorder, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            with item as (
                select i.product_id, i.variant_id, coalesce(v.sku, p.sku) as sku, p.name || coalesce(' - ' || v.name, '') as name,
                       i.quantity_available as available, i.quantity_reserved as reserved, i.reorder_point, i.reorder_quantity
                from inventory i
                join products p on p.id = i.product_id and p.is_active
                left join product_variants v on v.id = i.variant_id
                where i.location = @location
                  and (v.is_active or v.id is null and not exists (select 1 from product_variants pv where pv.product_id = p.id))
            )
            select it.*, coalesce(sold.last_30, 0) as sold30_days, coalesce(sold.last_90, 0) as sold90_days, coalesce(open.units, 0) as on_order,
                   sp.id as supplier_product_id, sp.supplier_id, sp.supplier_name, sp.supplier_sku, sp.supplier_price,
                   sp.minimum_order_quantity, sp.lead_time_days
            from item it
            left join lateral (
                select (sum(oi.quantity) filter (where o.paid_at >= now() - interval '30 days'))::int as last_30, sum(oi.quantity)::int as last_90
                from order_items oi
                join orders o on o.id = oi.order_id
                where oi.product_id = it.product_id and oi.variant_id is not distinct from it.variant_id
                  and o.paid_at >= now() - interval '90 days' and o.status not in ('cancelled', 'refunded')) sold on true
            left join lateral (
                select sum(greatest(li.quantity_ordered - li.quantity_received, 0))::int as units
                from purchase_order_items li
                join purchase_orders po on po.id = li.purchase_order_id
                where li.product_id = it.product_id and li.variant_id is not distinct from it.variant_id
                  and po.status in ('draft', 'sent', 'partially_received')) open on true
            left join lateral (
                select s.id, s.supplier_id, sup.name as supplier_name, s.supplier_sku, s.supplier_price, s.minimum_order_quantity,
                       coalesce(s.lead_time_days, sup.lead_time_days, 0) as lead_time_days
                from supplier_products s
                join suppliers sup on sup.id = s.supplier_id and sup.is_active
                where s.is_preferred and s.product_id = it.product_id and (s.variant_id = it.variant_id or s.variant_id is null)
                order by s.variant_id nulls last
                limit 1) sp on true
            order by it.name
            """, new { location = InventoryKey.DefaultLocation }, cancellationToken: cancellationToken));

        var suggestions = new List<ReorderSuggestion>();
        foreach (var row in rows)
        {
            var supplier = row.SupplierProductId is { } id
                ? new PreferredSupplier(id, row.SupplierId!.Value, row.SupplierName!, row.SupplierSku, row.SupplierPrice, row.MinimumOrderQuantity ?? 1, row.LeadTimeDays ?? 0)
                : null;
            var advice = ReorderRule.Advise(new ReorderFigures(
                row.Available, row.OnOrder, row.ReorderPoint, row.ReorderQuantity, row.Sold30Days, row.Sold90Days,
                supplier?.LeadTimeDays ?? 0, supplier?.MinimumOrderQuantity ?? 1));
            if (!onlyToReorder || advice.ShouldReorder)
            {
                suggestions.Add(new ReorderSuggestion(
                    row.Sku, row.Name, row.ProductId, row.VariantId, row.Available, row.Reserved, row.OnOrder, row.ReorderPoint, row.ReorderQuantity,
                    row.Sold30Days, row.Sold90Days, advice.DailySales, advice.DaysOfCover, advice.SuggestedQuantity, supplier));
            }
        }

        return suggestions;
    }

    private sealed class Row
    {
        public long ProductId { get; init; }
        public long? VariantId { get; init; }
        public string Sku { get; init; } = "";
        public string Name { get; init; } = "";
        public int Available { get; init; }
        public int Reserved { get; init; }
        public int ReorderPoint { get; init; }
        public int ReorderQuantity { get; init; }
        public int Sold30Days { get; init; }
        public int Sold90Days { get; init; }
        public int OnOrder { get; init; }
        public long? SupplierProductId { get; init; }
        public long? SupplierId { get; init; }
        public string? SupplierName { get; init; }
        public string? SupplierSku { get; init; }
        public decimal? SupplierPrice { get; init; }
        public int? MinimumOrderQuantity { get; init; }
        public int? LeadTimeDays { get; init; }
    }
}
