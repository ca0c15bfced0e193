using MestresCafe.Data.Catalog;
using MestresCafe.Inventory;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Api.Catalog.Caching;

/// <summary>
/// The inventory projection's word that a product's stock crossed zero: drops the product lists
/// and the product's detail on every server, so the storefront's "in stock" flag follows. Called
/// only on such a flip, never per reservation.
/// </summary>
internal sealed class CatalogStockInvalidation(CatalogCache cache, ProductSlugQuery slugs, ILogger<CatalogStockInvalidation> logger)
    : IStorefrontStockListener
{
    public async Task InStockChangedAsync(long productId, CancellationToken cancellationToken)
    {
        if (!cache.Enabled)
        {
            return;
        }

        try
        {
            if (await slugs.ExecuteAsync(productId, cancellationToken) is { } slug)
            {
                await cache.InvalidateStockOfAsync(slug, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The stock change is committed and will not be projected again: the cache expires on its own (LocalTtl).
            logger.LogWarning(exception, "Could not drop the cached catalog entries of product {ProductId} after its stock crossed zero", productId);
        }
    }
}
