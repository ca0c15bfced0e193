using Dapper;
using MestresCafe.Data.Admin;

namespace MestresCafe.Data.Purchasing;

/// <summary>
/// Back-office writes of suppliers and supplier products, inside the caller's transaction with its
/// audit row, plus their one cross-row rule: one preferred supplier per item.
/// </summary>
public sealed class SupplierStore() : AdminRowStore(Tables)
{
    private static readonly HashSet<string> Tables = ["suppliers", "supplier_products"];

    /// <summary>
    /// Unmarks the other preferred supplier of the item that supplier product
    /// <paramref name="supplierProductId"/> offers (an update), or of the given item (a create).
    /// </summary>
    public async Task ClearPreferredAsync(
        WriteScope write, long? supplierProductId, long? productId, long? variantId, CancellationToken cancellationToken) =>
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            update supplier_products o set is_preferred = false
            from (select product_id, variant_id from supplier_products where id = @supplierProductId
                  union all
                  select @productId, @variantId where @supplierProductId::bigint is null) item
            where o.is_preferred and o.product_id = item.product_id and o.variant_id is not distinct from item.variant_id
              and o.id <> coalesce(@supplierProductId, -1)
            """, new { supplierProductId, productId, variantId }, write.Transaction, cancellationToken: cancellationToken));
}
