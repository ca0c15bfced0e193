using MestresCafe.Inventory;

namespace MestresCafe.Grains.Inventory;

/// <summary>
/// The stock rules of one item, free of Orleans so that unit tests reach them directly. The
/// invariants: available, reserved and sold never go negative, reserved equals the sum of live
/// reservations, and available + reserved + sold = received - written off.
/// </summary>
public sealed class InventoryLedger(InventoryItemState state, TimeProvider clock)
{
    public InventoryItemState State => state;

    public ReservationResult Reserve(Guid reservationId, int quantity, DateTimeOffset expiresAt)
    {
        if (state.Reservations.ContainsKey(reservationId) || state.Committed.ContainsKey(reservationId))
        {
            return new ReservationResult(ReservationOutcome.Reserved, state.Available);
        }

        if (quantity <= 0)
        {
            return new ReservationResult(ReservationOutcome.InvalidQuantity, state.Available);
        }

        if (quantity > state.Available)
        {
            return new ReservationResult(ReservationOutcome.InsufficientStock, state.Available);
        }

        state.Available -= quantity;
        state.Reserved += quantity;
        state.Reservations[reservationId] = new Reservation(quantity, expiresAt);
        Record(InventoryMovementType.Reserve, quantity, reservationId, null);
        return new ReservationResult(ReservationOutcome.Reserved, state.Available);
    }

    public bool Release(Guid reservationId, InventoryMovementType why = InventoryMovementType.Release)
    {
        if (!state.Reservations.Remove(reservationId, out var reservation))
        {
            return false;
        }

        state.Reserved -= reservation.Quantity;
        state.Available += reservation.Quantity;
        Record(why, reservation.Quantity, reservationId, null);
        return true;
    }

    public CommitResult Commit(Guid reservationId)
    {
        if (state.Committed.TryGetValue(reservationId, out var done))
        {
            return new CommitResult(CommitOutcome.AlreadyCommitted, done);
        }

        if (!state.Reservations.Remove(reservationId, out var reservation))
        {
            return new CommitResult(CommitOutcome.UnknownReservation, 0);
        }

        state.Reserved -= reservation.Quantity;
        state.Sold += reservation.Quantity;
        state.Committed[reservationId] = reservation.Quantity;
        Record(InventoryMovementType.Commit, reservation.Quantity, reservationId, null);
        return new CommitResult(CommitOutcome.Committed, reservation.Quantity);
    }

    public void Restock(int quantity, string reason, string? notes = null, long? userId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        state.Available += quantity;
        state.Received += quantity;
        Record(InventoryMovementType.Restock, quantity, null, reason, notes, userId);
    }

    /// <summary>
    /// Corrects available stock by a signed amount (counting, breakage, loss). A negative change
    /// can take at most what is available: reserved and sold units are not the ledger's to remove.
    /// </summary>
    public AdjustmentOutcome Adjust(int quantityChange, string reason, string? notes, long? userId)
    {
        if (quantityChange == 0)
        {
            return AdjustmentOutcome.InvalidQuantity;
        }

        if (state.Available + quantityChange < 0)
        {
            return AdjustmentOutcome.InsufficientStock;
        }

        state.Available += quantityChange;
        if (quantityChange > 0)
        {
            state.Received += quantityChange;
        }
        else
        {
            state.WrittenOff -= quantityChange;
        }

        Record(InventoryMovementType.Adjust, quantityChange, null, reason, notes, userId);
        return AdjustmentOutcome.Adjusted;
    }

    /// <summary>Releases every reservation whose expiry has passed. Returns how many were released.</summary>
    public int ExpireDue()
    {
        var now = clock.GetUtcNow();
        var due = state.Reservations.Where(r => r.Value.ExpiresAt <= now).Select(r => r.Key).ToList();
        foreach (var id in due)
        {
            Release(id, InventoryMovementType.Expire);
        }

        return due.Count;
    }

    public DateTimeOffset? NextExpiry() =>
        state.Reservations.Count == 0 ? null : state.Reservations.Values.Min(r => r.ExpiresAt);

    /// <summary>Starts the ledger from the relational row (the initial import); once only.</summary>
    public void Bootstrap(InventoryRow row)
    {
        state.InventoryId = row.InventoryId;
        state.ProductId = row.ProductId;
        state.VariantId = row.VariantId;
        // Reservations recorded outside the grain have no owner to commit or release them: they
        // return to available stock.
        state.Available = row.Available + row.Reserved;
        state.Sold = row.Sold;
        state.Received = state.Available + row.Sold;
        state.ReorderPoint = row.ReorderPoint;
        state.ReorderQuantity = row.ReorderQuantity;
        state.CostPrice = row.CostPrice;
        state.Initialized = true;
    }

    public InventorySnapshot Snapshot(string sku, string location) => new(
        sku, location, state.Available, state.Reserved, state.Sold, state.Received,
        state.ReorderPoint, state.ReorderQuantity, state.CostPrice, state.Reservations.Count, state.Version);

    private void Record(InventoryMovementType type, int quantity, Guid? reservationId, string? reason, string? notes = null, long? userId = null)
    {
        var availableBefore = type switch
        {
            InventoryMovementType.Reserve => state.Available + quantity,
            InventoryMovementType.Adjust => state.Available - quantity,
            InventoryMovementType.Release or InventoryMovementType.Expire or InventoryMovementType.Restock => state.Available - quantity,
            _ => state.Available,
        };
        state.Version++;
        state.Outbox.Add(new InventoryMovement(Guid.NewGuid(), type, quantity, reservationId, reason, clock.GetUtcNow(), state.Version)
        {
            Notes = notes,
            UserId = userId,
            AvailableAfter = state.Available,
            ReachedReorderPoint = state.ReorderPoint > 0 && availableBefore > state.ReorderPoint && state.Available <= state.ReorderPoint,
        });
    }
}
