using System.Text.Json;
using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Catalog;

public sealed record WishlistItem(long ProductId, string Slug, string Name, decimal Price, decimal? ComparePrice, string? ImageUrl, bool InStock, DateTimeOffset AddedAt);

/// <summary>The signed-in customer's wishlist: one row per (user, product).</summary>
public sealed class WishlistStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<WishlistItem>> ListAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<WishlistItem>(new CommandDefinition(
            """
            select p.id as product_id, p.slug, p.name, p.price, p.compare_price,
                   (select pi.image_url from product_images pi where pi.product_id = p.id order by pi.is_primary desc, pi.sort_order, pi.id limit 1) as image_url,
                   exists (select 1 from inventory i where i.product_id = p.id and i.quantity_available > 0 and i.location = 'CD-SP') as in_stock,
                   w.created_at as added_at
            from wishlist w join products p on p.id = w.product_id
            where w.user_id = @userId and p.is_active
            order by w.created_at desc, w.id desc
            """, new { userId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Adds the product. ProductExists is false for no such active product; Added is null when it was already there.</summary>
    public async Task<(bool ProductExists, RowChange? Added)> AddAsync(WriteScope write, long userId, long productId, CancellationToken cancellationToken)
    {
        var result = await write.Connection.QuerySingleAsync<WishlistAdd>(new CommandDefinition(
            """
            with product as (select id from products where id = @productId and is_active),
            added as (
                insert into wishlist as w (user_id, product_id) select @userId, id from product
                on conflict (user_id, product_id) do nothing
                returning w.id, to_jsonb(w)::text as row)
            select (select count(*) from product) > 0 as product_exists, (select id from added) as id, (select row from added) as row
            """, new { userId, productId }, write.Transaction, cancellationToken: cancellationToken));
        return (result.ProductExists, result.Id is { } id ? new RowChange(id, null, result.Row) : null);
    }

    public async Task<RowChange?> RemoveAsync(WriteScope write, long userId, long productId, CancellationToken cancellationToken)
    {
        var removed = await write.Connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(
            "delete from wishlist w where user_id = @userId and product_id = @productId returning w.id, to_jsonb(w)::text as row",
            new { userId, productId }, write.Transaction, cancellationToken: cancellationToken));
        return removed is null ? null : new RowChange(removed.Id, removed.Row, null);
    }

    private sealed record WishlistAdd(bool ProductExists, long? Id, JsonElement? Row);
}
