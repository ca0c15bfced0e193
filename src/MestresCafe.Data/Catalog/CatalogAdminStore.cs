using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Catalog;

/// <summary>
/// Back-office writes of the catalog tables, inside the caller's transaction (which also writes
/// the audit row), plus the catalog's own cross-row rules: SKUs unique across products and
/// variants, no category inside its own subtree, one primary image per product.
/// </summary>
public sealed class CatalogAdminStore() : AdminRowStore(Tables)
{
    private static readonly HashSet<string> Tables =
        ["products", "product_variants", "product_images", "categories", "brands", "product_attributes", "product_attribute_values", "product_reviews"];

    /// <summary>SKUs must be unique across products and variants; each table only enforces its own.</summary>
    public async Task<bool> SkuUsedElsewhereAsync(WriteScope write, string sku, bool forVariant, CancellationToken cancellationToken)
    {
        var sql = forVariant ? "select exists (select 1 from products where sku = @sku)" : "select exists (select 1 from product_variants where sku = @sku)";
        return await write.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { sku }, write.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Creates the inventory row of a new sellable item (a product, or a variant) at
    /// <paramref name="location"/> with zero stock, in the catalog write's transaction, so that the
    /// item can be received and sold at once; its inventory grain starts from this row. A product's
    /// first variant makes the product itself unsellable: its own row goes too when nothing ever
    /// happened to it (no grain has projected into it, so no movement refers to it).
    /// </summary>
    public async Task CreateInventoryItemAsync(WriteScope write, long productId, long? variantId, string location, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into inventory (product_id, variant_id, location, cost_price)
            select p.id, v.id, @location, coalesce(v.cost_price, p.cost_price)
            from products p
            left join product_variants v on v.id = @variantId and v.product_id = p.id
            where p.id = @productId
            on conflict on constraint uq_inventory_item do nothing;

            delete from inventory i
            where @variantId::bigint is not null and i.product_id = @productId and i.variant_id is null and i.state_version = 0
              and i.quantity_available = 0 and i.quantity_reserved = 0 and i.quantity_sold = 0
              and not exists (select 1 from stock_adjustments a where a.inventory_id = i.id);
            """;
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { productId, variantId, location }, write.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Would making <paramref name="parentId"/> the parent of <paramref name="categoryId"/> close a cycle?</summary>
    public async Task<bool> IsInSubtreeAsync(WriteScope write, long categoryId, long parentId, CancellationToken cancellationToken)
    {
        const string sql = """
            with recursive subtree as (
                select id from categories where id = @categoryId
                union all
                select c.id from categories c join subtree s on c.parent_id = s.id)
            select exists (select 1 from subtree where id = @parentId)
            """;
        return await write.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { categoryId, parentId }, write.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Only one primary image per product: clears the flag on the others before one is set.</summary>
    public async Task ClearPrimaryImageAsync(WriteScope write, long productId, long? exceptImageId, CancellationToken cancellationToken) =>
        await write.Connection.ExecuteAsync(new CommandDefinition(
            "update product_images set is_primary = false where product_id = @productId and is_primary and id <> coalesce(@exceptImageId, -1)",
            new { productId, exceptImageId }, write.Transaction, cancellationToken: cancellationToken));

    /// <summary>Sets the value of one attribute of one product (insert or replace).</summary>
    public async Task<RowChange> UpsertAttributeValueAsync(
        WriteScope write, long productId, long attributeId, string value, CancellationToken cancellationToken)
    {
        var key = new { productId, attributeId, value };
        var old = await ReadRowAsync(write,
            "select v.id, to_jsonb(v)::text as row from product_attribute_values v where product_id = @productId and attribute_id = @attributeId for update", key, cancellationToken);
        var row = await ReadRowAsync(write,
            """
            insert into product_attribute_values as t (product_id, attribute_id, value)
            values (@productId, @attributeId, @value)
            on conflict (product_id, attribute_id) do update set value = excluded.value
            returning t.id, to_jsonb(t)::text as row
            """, key, cancellationToken);
        return new RowChange(row!.Id, old?.Row, row.Row);
    }

    public async Task<RowChange?> DeleteAttributeValueAsync(
        WriteScope write, long productId, long attributeId, CancellationToken cancellationToken)
    {
        var row = await ReadRowAsync(write,
            "delete from product_attribute_values v where product_id = @productId and attribute_id = @attributeId returning v.id, to_jsonb(v)::text as row",
            new { productId, attributeId }, cancellationToken);
        return row is null ? null : new RowChange(row.Id, row.Row, null);
    }
}
