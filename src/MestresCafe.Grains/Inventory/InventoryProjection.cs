using MestresCafe.Data.Inventory;
using MestresCafe.Grains.Projections;
using MestresCafe.Inventory;

namespace MestresCafe.Grains.Inventory;

/// <summary>
/// Maps an inventory item's outbox to the rows <see cref="InventoryProjectionStore"/> writes in one
/// transaction: the item's counters, one movement per event, a stock adjustment per adjustment, and
/// a reorder alert (in-app and e-mail to staff) when available stock reached the reorder point, and
/// the back-in-stock e-mails when it came back from none. When the write took the item's
/// available stock across zero it tells the storefront (<see cref="IStorefrontStockListener"/>),
/// after the commit, so that the storefront rebuilds from the new figures.
/// </summary>
public sealed class InventoryProjection(InventoryProjectionStore store, IStorefrontStockListener storefront) : IProjection<string, InventoryItemState, InventoryMovement>
{
    public Task<InventoryRow?> LoadAsync(string sku, string location, CancellationToken cancellationToken = default) =>
        store.LoadAsync(sku, location, cancellationToken);

    public async Task ApplyAsync(string sku, InventoryItemState state, IReadOnlyList<InventoryMovement> events, CancellationToken cancellationToken)
    {
        var movements = new List<InventoryMovementRow>(events.Count);
        var adjustments = new List<StockAdjustmentRow>();
        var alerts = new List<ReorderAlertRow>();
        foreach (var movement in events)
        {
            if (movement.Type != InventoryMovementType.ReorderLevels)
            {
                var (type, referenceType) = MovementType(movement);
                movements.Add(new InventoryMovementRow(movement.EventId, type, Math.Abs(movement.Quantity), referenceType, Notes(movement), movement.OccurredAt)
                {
                    ReferenceId = movement.ReferenceId,
                    UnitCost = movement.UnitCost,
                });
            }

            if (movement.Type == InventoryMovementType.Adjust)
            {
                adjustments.Add(new StockAdjustmentRow(
                    movement.EventId, movement.Reason ?? "other", movement.Quantity, movement.Quantity * state.CostPrice,
                    movement.Notes, movement.OccurredAt, movement.UserId));
            }

            if (movement.ReachedReorderPoint)
            {
                alerts.Add(new ReorderAlertRow(movement.EventId, sku, movement.AvailableAfter, state.ReorderPoint, state.ReorderQuantity));
            }
        }

        var flipped = await store.ApplyAsync(
            new InventoryCountsRow(state.InventoryId, state.Available, state.Reserved, state.Sold, state.Version, state.CostPrice)
            {
                ReorderPoint = state.ReorderPoint,
                ReorderQuantity = state.ReorderQuantity,
            },
            movements, adjustments, alerts, events.Any(e => e.CameBackInStock), cancellationToken);
        if (flipped is { } productId)
        {
            await storefront.InStockChangedAsync(productId, cancellationToken);
        }
    }

    private static (string Type, string? ReferenceType) MovementType(InventoryMovement movement) => movement.Type switch
    {
        InventoryMovementType.Reserve => ("reservation", "order"),
        InventoryMovementType.Release or InventoryMovementType.Expire => ("reservation_release", "order"),
        InventoryMovementType.Commit => ("sale", "order"),
        InventoryMovementType.Restock when movement.Reason == "return" => ("return", "return"),
        InventoryMovementType.Restock when movement.ReferenceType == "transfer" => ("transfer_in", "transfer"),
        InventoryMovementType.TransferOut => ("transfer_out", "transfer"),
        InventoryMovementType.Restock when movement.ReferenceType is { } document => ("receipt", document),
        InventoryMovementType.Restock => ("receipt", "manual"),
        InventoryMovementType.Adjust => (movement.Quantity > 0 ? "adjustment_in" : "adjustment_out", "stock_adjustment"),
        _ => ("receipt", "manual"),
    };

    private static string? Notes(InventoryMovement movement) => movement switch
    {
        { ReservationId: { } id } => $"reservation {id}" + (movement.Type == InventoryMovementType.Expire ? " expired" : ""),
        { Notes: { } notes } => notes,
        _ => movement.Reason,
    };
}
