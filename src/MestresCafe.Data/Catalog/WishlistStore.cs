using Npgsql;

namespace MestresCafe.Data.Catalog;

public sealed record WishlistItem(long ProductId, string Slug, string Name, decimal Price, decimal? ComparePrice, string? ImageUrl, bool InStock, DateTimeOffset AddedAt);

/// <summary>The signed-in customer's wishlist: one row per (user, product).</summary>
public sealed class WishlistStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<WishlistItem>> ListAsync(long userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select p.id, p.slug, p.name, p.price, p.compare_price,
                   (select pi.image_url from product_images pi where pi.product_id = p.id order by pi.is_primary desc, pi.sort_order, pi.id limit 1),
                   exists (select 1 from inventory i where i.product_id = p.id and i.quantity_available > 0),
                   w.created_at
            from wishlist w join products p on p.id = w.product_id
            where w.user_id = $1 and p.is_active
            order by w.created_at desc, w.id desc
            """);
        command.Parameters.Add(new() { Value = userId });
        var items = new List<WishlistItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new WishlistItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return items;
    }

    /// <summary>Adds the product. ProductExists is false for no such active product; Added is null when it was already there.</summary>
    public async Task<(bool ProductExists, RowChange? Added)> AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, long productId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            with product as (select id from products where id = $2 and is_active),
            added as (
                insert into wishlist as w (user_id, product_id) select $1, id from product
                on conflict (user_id, product_id) do nothing
                returning w.id, to_jsonb(w)::text as row)
            select (select count(*) from product) > 0, (select id from added), (select row from added)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = productId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), reader.IsDBNull(1) ? null : new RowChange(reader.GetInt64(1), null, CatalogAdminStore.Parse(reader.GetString(2))));
    }

    public async Task<RowChange?> RemoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, long productId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "delete from wishlist w where user_id = $1 and product_id = $2 returning w.id, to_jsonb(w)::text", connection, transaction);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = productId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new RowChange(reader.GetInt64(0), CatalogAdminStore.Parse(reader.GetString(1)), null) : null;
    }
}
