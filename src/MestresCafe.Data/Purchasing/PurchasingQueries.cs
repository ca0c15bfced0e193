using System.Text.Json;
using Dapper;
using Npgsql;

namespace MestresCafe.Data.Purchasing;

/// <summary>Back-office reads of suppliers, supplier products and purchase orders, as row images (snake_case JSON).</summary>
public sealed class PurchasingQueries(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<JsonElement>> SuppliersAsync(bool? active, string? search, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonElement>(new CommandDefinition(
            """
            select to_jsonb(s)::text from suppliers s
            where (@active::boolean is null or s.is_active = @active)
              and (@search::text is null or s.name ilike '%' || @search || '%' or s.cnpj = upper(@search))
            order by s.name
            """, new { active, search }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<JsonElement?> SupplierAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JsonElement?>(new CommandDefinition(
            "select to_jsonb(s)::text from suppliers s where s.id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Supplier products with the item's SKU and name and the supplier's name, by supplier and/or product.</summary>
    public async Task<IReadOnlyList<JsonElement>> SupplierProductsAsync(long? supplierId, long? productId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonElement>(new CommandDefinition(
            """
            select (to_jsonb(sp) || jsonb_build_object(
                       'sku', coalesce(v.sku, p.sku), 'item_name', p.name || coalesce(' - ' || v.name, ''), 'supplier_name', s.name))::text
            from supplier_products sp
            join suppliers s on s.id = sp.supplier_id
            join products p on p.id = sp.product_id
            left join product_variants v on v.id = sp.variant_id
            where (@supplierId::bigint is null or sp.supplier_id = @supplierId) and (@productId::bigint is null or sp.product_id = @productId)
            order by s.name, p.name, v.name nulls first
            limit 1000
            """, new { supplierId, productId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Purchase orders, newest first, without their lines.</summary>
    public async Task<IReadOnlyList<JsonElement>> PurchaseOrdersAsync(
        string? status, long? supplierId, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JsonElement>(new CommandDefinition(
            """
            select (to_jsonb(po) || jsonb_build_object('supplier_name', s.name,
                       'lines', (select count(*) from purchase_order_items li where li.purchase_order_id = po.id)))::text
            from purchase_orders po
            join suppliers s on s.id = po.supplier_id
            where (@status::text is null or po.status = @status) and (@supplierId::bigint is null or po.supplier_id = @supplierId)
            order by po.created_at desc, po.id desc
            limit @limit offset @offset
            """, new { status, supplierId, limit = pageSize, offset = (page - 1) * pageSize }, cancellationToken: cancellationToken))).AsList();
    }
}
