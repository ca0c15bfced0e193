using MestresCafe.Inventory;

namespace MestresCafe.Grains.Inventory;

/// <summary>A host without a storefront cache (grain tests, tools) has nobody to tell.</summary>
internal sealed class NoStorefrontStockListener : IStorefrontStockListener
{
    public Task InStockChangedAsync(long productId, CancellationToken cancellationToken) => Task.CompletedTask;
}
