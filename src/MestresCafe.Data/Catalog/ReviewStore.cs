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
        NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, string productSlug, int rating, string? title, string? content,
        CancellationToken cancellationToken)
    {
        long productId;
        bool purchased;
        await using (var check = new NpgsqlCommand(
            """
            select p.id, exists (
                select 1 from orders o join order_items oi on oi.order_id = o.id
                where o.user_id = $2 and oi.product_id = p.id and o.status = any($3))
            from products p where p.slug = $1 and p.is_active
            """, connection, transaction))
        {
            check.Parameters.Add(new() { Value = productSlug });
            check.Parameters.Add(new() { Value = userId });
            check.Parameters.Add(new() { Value = PurchasedStatuses });
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (ReviewOutcome.ProductNotFound, null);
            }

            productId = reader.GetInt64(0);
            purchased = reader.GetBoolean(1);
        }

        if (!purchased)
        {
            return (ReviewOutcome.NotPurchased, null);
        }

        await using var insert = new NpgsqlCommand(
            """
            insert into product_reviews as r (product_id, user_id, rating, title, content)
            values ($1, $2, $3, $4, $5)
            on conflict (product_id, user_id) do nothing
            returning r.id, to_jsonb(r)::text
            """, connection, transaction);
        insert.Parameters.Add(new() { Value = productId });
        insert.Parameters.Add(new() { Value = userId });
        insert.Parameters.Add(new() { Value = (short)rating });
        insert.Parameters.Add(new() { Value = (object?)title ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
        insert.Parameters.Add(new() { Value = (object?)content ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var inserted = await insert.ExecuteReaderAsync(cancellationToken);
        return await inserted.ReadAsync(cancellationToken)
            ? (ReviewOutcome.Created, new RowChange(inserted.GetInt64(0), null, CatalogAdminStore.Parse(inserted.GetString(1))))
            : (ReviewOutcome.AlreadyReviewed, null);
    }

    /// <summary>Reviews for the moderation queue, newest first.</summary>
    public async Task<IReadOnlyList<PendingReview>> ListAsync(bool approved, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select r.id, p.id, p.slug, p.name, r.user_id, r.rating, r.title, r.content, r.is_approved, r.created_at
            from product_reviews r join products p on p.id = r.product_id
            where r.is_approved = $1
            order by r.created_at desc, r.id desc limit $2
            """);
        command.Parameters.Add(new() { Value = approved });
        command.Parameters.Add(new() { Value = limit });
        var reviews = new List<PendingReview>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            reviews.Add(new PendingReview(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetInt16(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetBoolean(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return reviews;
    }

}
