using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Catalog;

public enum ReviewOutcome
{
    Created,
    ProductNotFound,
    NotPurchased,
    AlreadyReviewed,
}

public sealed record PendingReview(long Id, long ProductId, string ProductSlug, string ProductName, long UserId, int Rating, string? Title, string? Content, bool IsApproved, DateTimeOffset CreatedAt);

/// <summary>Product reviews: written by customers who bought the product, shown once approved.</summary>
public sealed class ReviewStore(NpgsqlDataSource dataSource)
{
    /// <summary>Order states in which the customer has paid for the product.</summary>
    private static readonly string[] PurchasedStatuses = ["paid", "processing", "shipped", "delivered"];

    public async Task<(ReviewOutcome Outcome, RowChange? Change)> CreateAsync(
        WriteScope write, long userId, string productSlug, int rating, string? title, string? content,
        CancellationToken cancellationToken)
    {
        var product = await write.Connection.QuerySingleOrDefaultAsync<ReviewedProduct>(new CommandDefinition(
            """
            select p.id, exists (
                select 1 from orders o join order_items oi on oi.order_id = o.id
                where o.user_id = @userId and oi.product_id = p.id and o.status = any(@statuses)) as purchased
            from products p where p.slug = @productSlug and p.is_active
            """, new { productSlug, userId, statuses = PurchasedStatuses }, write.Transaction, cancellationToken: cancellationToken));
        if (product is null)
        {
            return (ReviewOutcome.ProductNotFound, null);
        }

        if (!product.Purchased)
        {
            return (ReviewOutcome.NotPurchased, null);
        }

        var inserted = await write.Connection.QuerySingleOrDefaultAsync<JsonRow>(new CommandDefinition(
            """
            insert into product_reviews as r (product_id, user_id, rating, title, content)
            values (@productId, @userId, @rating, @title, @content)
            on conflict (product_id, user_id) do nothing
            returning r.id, to_jsonb(r)::text as row
            """, new { productId = product.Id, userId, rating = (short)rating, title, content }, write.Transaction, cancellationToken: cancellationToken));
        return inserted is null ? (ReviewOutcome.AlreadyReviewed, null) : (ReviewOutcome.Created, new RowChange(inserted.Id, null, inserted.Row));
    }

    /// <summary>Reviews for the moderation queue, newest first.</summary>
    public async Task<IReadOnlyList<PendingReview>> ListAsync(bool approved, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<PendingReview>(new CommandDefinition(
            """
            select r.id, p.id as product_id, p.slug as product_slug, p.name as product_name, r.user_id, r.rating::int as rating,
                   r.title, r.content, r.is_approved, r.created_at
            from product_reviews r join products p on p.id = r.product_id
            where r.is_approved = @approved
            order by r.created_at desc, r.id desc limit @limit
            """, new { approved, limit }, cancellationToken: cancellationToken))).AsList();
    }

    private sealed record ReviewedProduct(long Id, bool Purchased);
}
