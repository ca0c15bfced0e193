using Dapper;
using Npgsql;

namespace MestresCafe.Data.Catalog;

public enum BackInStockOutcome
{
    Created,
    /// <summary>The customer already waits for this item: the same request.</summary>
    AlreadyRequested,
    /// <summary>The item has stock now: nothing to wait for.</summary>
    InStock,
    NotFound,
}

/// <summary>A customer's pending back-in-stock request.</summary>
public sealed record BackInStockRequest
{
    public Guid RequestId { get; init; }
    public string ProductSlug { get; init; } = "";
    public string? VariantSku { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// back_in_stock_requests from the storefront: a signed-in customer asks to be told when an item
/// with no stock comes back. The inventory projection answers the request (InventoryProjectionStore).
/// </summary>
public sealed class BackInStockStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Records the request for the product <paramref name="slug"/> (a variant of it when
    /// <paramref name="variantSku"/> is given). Refused while the item has available stock at any
    /// location; asking again while one is pending answers that one.
    /// </summary>
    public async Task<(BackInStockOutcome Outcome, BackInStockRequest? Request)> RequestAsync(
        long userId, string slug, string? variantSku, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = await connection.QuerySingleOrDefaultAsync<RequestedItem>(new CommandDefinition(
            """
            select p.id as product_id, v.id as variant_id,
                   (select coalesce(sum(i.quantity_available), 0) from inventory i
                    where i.product_id = p.id and (v.id is null or i.variant_id = v.id)) as available
            from products p
            left join product_variants v on v.product_id = p.id and v.sku = @variantSku and v.is_active
            where p.slug = @slug and p.is_active and (@variantSku::text is null or v.id is not null)
            """,
            new { slug, variantSku }, transaction, cancellationToken: cancellationToken));
        if (found is null)
        {
            return (BackInStockOutcome.NotFound, null);
        }

        if (found.Available > 0)
        {
            return (BackInStockOutcome.InStock, null);
        }

        var created = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            """
            insert into back_in_stock_requests (user_id, product_id, variant_id) values (@userId, @ProductId, @VariantId)
            on conflict (user_id, product_id, coalesce(variant_id, 0)) where status = 'pending' do nothing
            returning request_id
            """,
            new { userId, found.ProductId, found.VariantId }, transaction, cancellationToken: cancellationToken));
        var request = await connection.QuerySingleAsync<BackInStockRequest>(new CommandDefinition(
            """
            select r.request_id, @slug as product_slug, @variantSku as variant_sku, r.status, r.created_at
            from back_in_stock_requests r
            where r.user_id = @userId and r.product_id = @ProductId and r.variant_id is not distinct from @VariantId and r.status = 'pending'
            """,
            new { userId, found.ProductId, found.VariantId, slug, variantSku }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (created is null ? BackInStockOutcome.AlreadyRequested : BackInStockOutcome.Created, request);
    }

    private sealed record RequestedItem
    {
        public long ProductId { get; init; }
        public long? VariantId { get; init; }
        public long Available { get; init; }
    }
}
