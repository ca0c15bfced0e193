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

/// <summary>Minimal accounts for tests that place orders without going through the API.</summary>
public static class AccountFixtures
{
    public static Task<long> InsertUserAsync(this TestDatabase database, string? email = null) =>
        database.ScalarAsync<long>(
            "insert into users (email, first_name, last_name) values ($1, 'Cliente', 'Teste') returning id",
            email ?? $"cliente.{Guid.NewGuid():N}@example.com.br");

    public static async Task<IReadOnlyList<long>> InsertUsersAsync(this TestDatabase database, int count)
    {
        var ids = await database.ScalarAsync<string>(
            "with u as (insert into users (email, first_name, last_name) select 'bulk.' || gen_random_uuid() || '@example.com.br', 'Cliente', 'Teste' from generate_series(1, $1) returning id) select string_agg(id::text, ',') from u",
            count);
        return ids.Split(',').Select(long.Parse).ToList();
    }
}
