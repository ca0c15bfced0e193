namespace MestresCafe.Testing;

/// <summary>Minimal catalog rows for tests that need a sellable item of their own.</summary>
public static class CatalogFixtures
{
    /// <summary>A product without variants and its inventory row at CD-SP. Returns the product id.</summary>
    public static async Task<long> InsertItemAsync(this TestDatabase database, string sku, int stock, decimal price = 10m, int reorderPoint = 0)
    {
        var slug = sku.ToLowerInvariant();
        var productId = await database.ScalarAsync<long>(
            "insert into products (name, slug, sku, price, cost_price) values ($1, $2, $3, $4, $5) returning id",
            "Item " + sku, slug, sku, price, price / 2);
        await database.ScalarAsync<long>(
            "insert into inventory (product_id, quantity_available, reorder_point, reorder_quantity, cost_price, location) values ($1, $2, $3, $4, $5, 'CD-SP') returning id",
            productId, stock, reorderPoint, reorderPoint * 4, price / 2);
        return productId;
    }
}
