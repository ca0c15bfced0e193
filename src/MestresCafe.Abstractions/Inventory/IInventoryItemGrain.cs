namespace MestresCafe.Inventory;

/// <summary>
/// One sellable item (a product without variants, or a variant) at one stock location. The key is
/// <see cref="InventoryKey"/>: <c>SKU@LOCATION</c>. Every reservation, release and commit of that
/// item is serialized through this grain, which is what makes overselling impossible.
/// </summary>
public interface IInventoryItemGrain : IGrainWithStringKey
{
    /// <summary>The current stock figures, including live reservations; null when no inventory row exists for the key.</summary>
    Task<InventorySnapshot?> GetAsync();

    /// <summary>
    /// Reserves <paramref name="quantity"/> units until <paramref name="expiresAt"/>. Idempotent per
    /// reservation id: reserving again with the same id returns the first outcome.
    /// </summary>
    Task<ReservationResult> ReserveAsync(Guid reservationId, int quantity, DateTimeOffset expiresAt);

    /// <summary>
    /// Like <see cref="ReserveAsync"/> for an unpaid order of one customer: refused
    /// (<see cref="ReservationOutcome.CustomerLimitReached"/>) when the customer's live reservations
    /// of this item would exceed <see cref="CustomerHoldLimit.MaxUnits"/>.
    /// </summary>
    Task<ReservationResult> ReserveForCustomerAsync(Guid reservationId, int quantity, DateTimeOffset expiresAt, CustomerHoldLimit limit);

    /// <summary>Where a reservation stands: what an invariant checker asks of every acknowledged one.</summary>
    Task<ReservationState> GetReservationAsync(Guid reservationId);

    /// <summary>Returns a reservation's units to available stock. Unknown ids are a no-op.</summary>
    Task ReleaseAsync(Guid reservationId);

    /// <summary>Turns a reservation into a sale (reserved to sold). Idempotent per reservation id.</summary>
    Task<CommitResult> CommitAsync(Guid reservationId);

    /// <summary>
    /// Adds received units to available stock (purchases, returns, cancelled sales). Null when the
    /// item is unknown. With an <paramref name="operationId"/> the call is idempotent: a retry of the
    /// same operation adds nothing.
    /// </summary>
    Task<InventorySnapshot?> RestockAsync(int quantity, string reason, string? notes = null, long? userId = null, Guid? operationId = null);

    /// <summary>Corrects available stock by a signed amount with a reason (counting, breakage, loss).</summary>
    Task<AdjustmentResult> AdjustAsync(StockAdjustment adjustment);

    /// <summary>
    /// Receives goods bought at a unit cost (a purchase order's receipt line): adds them to available
    /// stock and moves the item's cost to the weighted average. Idempotent by the receipt's operation
    /// id. Null when the item has no inventory row.
    /// </summary>
    Task<InventorySnapshot?> ReceiveAsync(StockReceipt receipt);

    /// <summary>
    /// Takes units out of available stock for a transfer to another location. Idempotent by the
    /// withdrawal's operation id: once applied, a retry answers Adjusted and takes nothing more.
    /// Refused (InsufficientStock) when fewer units are available; UnknownItem without an inventory row.
    /// </summary>
    Task<AdjustmentResult> WithdrawAsync(StockWithdrawal withdrawal);

    /// <summary>Sets the reorder point and reorder quantity (both at least 0). Null when the item has no inventory row.</summary>
    Task<InventorySnapshot?> SetReorderLevelsAsync(int reorderPoint, int reorderQuantity, long? userId);
}
