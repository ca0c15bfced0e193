namespace MestresCafe.Inventory;

/// <summary>
/// Told when a product's stock, as the storefront reads it, crossed zero: an inventory row of the
/// product went from some available units to none or back. Only such flips are told, not every
/// reservation, so that a hot item's reservations cost the storefront cache nothing. The
/// storefront drops what it cached of that product; see the catalog cache for the staleness bound.
/// </summary>
public interface IStorefrontStockListener
{
    /// <summary>Must not throw: a failure is the listener's to log, the stock change stands.</summary>
    Task InStockChangedAsync(long productId, CancellationToken cancellationToken);
}
