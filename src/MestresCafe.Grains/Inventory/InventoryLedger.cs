using MestresCafe.Data.Inventory;
using MestresCafe.Inventory;

namespace MestresCafe.Grains.Inventory;

/// <summary>
/// The stock rules of one item, free of Orleans so that unit tests reach them directly. The
/// invariants: available, reserved and sold never go negative, reserved equals the sum of live
/// reservations, and available + reserved + sold = received - written off.
/// </summary>
/// <remarks>
/// Every change is a movement that <see cref="Apply"/> folds into the state, whether it was just
/// decided or is read back from the grain's log, so that replaying the log rebuilds exactly the
/// state that was acknowledged. Committed reservation ids are kept for <paramref name="committedRetention"/>
/// (default <see cref="InventoryOptions.DefaultCommittedRetention"/>) after their commit, then dropped
/// so that the state does not grow with the item's whole sales history.
/// </remarks>
public sealed class InventoryLedger(InventoryItemState state, TimeProvider clock, TimeSpan? committedRetention = null)
{
    private readonly TimeSpan _committedRetention = committedRetention ?? InventoryOptions.DefaultCommittedRetention;
    private readonly List<InventoryMovement> _unlogged = [];
    /// <summary>Units held by each customer's live reservations: derived from the state, kept by <see cref="Apply"/>.</summary>
    private readonly Dictionary<long, int> _heldByCustomer = state.Reservations.Values
        .Where(r => r.Holder is not null)
        .GroupBy(r => r.Holder!.Value)
        .ToDictionary(g => g.Key, g => g.Sum(r => r.Quantity));

    public InventoryItemState State => state;

    /// <summary>Movements made since the last call: what the next log record must hold.</summary>
    public List<InventoryMovement> TakeUnlogged()
    {
        var taken = _unlogged.ToList();
        _unlogged.Clear();
        return taken;
    }

    /// <summary>
    /// Folds movements read back from the log into the state (those the state already holds are
    /// skipped) and queues them for projection again, which the idempotent projection ignores if
    /// they were applied before.
    /// </summary>
    public void Replay(IEnumerable<InventoryMovement> movements)
    {
        foreach (var movement in movements.Where(m => m.Version > state.Version))
        {
            Apply(movement);
            state.Outbox.Add(movement);
        }
    }

    /// <summary>
    /// Dates commits recorded before commit times were kept (they get <paramref name="now"/>), so
    /// that they too leave after the retention.
    /// </summary>
    public void DateUndatedCommits(DateTimeOffset now)
    {
        if (state.CommitHistory.Count == state.Committed.Count)
        {
            return;
        }

        var dated = state.CommitHistory.Select(c => c.ReservationId).ToHashSet();
        state.CommitHistory.InsertRange(0, state.Committed.Keys.Where(id => !dated.Contains(id)).Select(id => new CommittedReservation(id, now)));
    }

    /// <summary>Units the customer's live (unpaid) reservations of this item hold.</summary>
    public int HeldBy(long customerUserId) => _heldByCustomer.GetValueOrDefault(customerUserId);

    /// <summary>
    /// Holds <paramref name="quantity"/> units under <paramref name="reservationId"/>. Asked again with
    /// the same id and quantity it changes nothing (a retry). Asked again for another quantity while
    /// live (a checkout retried after a crash, its cart changed in between), the hold becomes that
    /// quantity if the stock allows, else stays as it was: answering "reserved" while holding the old
    /// quantity would let an order commit units it never held.
    /// </summary>
    public ReservationResult Reserve(Guid reservationId, int quantity, DateTimeOffset expiresAt, CustomerHoldLimit? limit = null)
    {
        var held = state.Reservations.TryGetValue(reservationId, out var live) ? live.Quantity : 0;
        if (held > 0 ? held == quantity : state.Committed.ContainsKey(reservationId))
        {
            return new ReservationResult(ReservationOutcome.Reserved, state.Available);
        }

        if (quantity <= 0)
        {
            return new ReservationResult(ReservationOutcome.InvalidQuantity, state.Available);
        }

        if (limit is not null && HeldBy(limit.CustomerUserId) - held + quantity > limit.MaxUnits)
        {
            return new ReservationResult(ReservationOutcome.CustomerLimitReached, state.Available);
        }

        if (quantity - held > state.Available)
        {
            return new ReservationResult(ReservationOutcome.InsufficientStock, state.Available);
        }

        if (held > 0)
        {
            Emit(InventoryMovementType.Release, held, reservationId, null);
        }

        Emit(InventoryMovementType.Reserve, quantity, reservationId, null, expiresAt: expiresAt, holder: limit?.CustomerUserId);
        return new ReservationResult(ReservationOutcome.Reserved, state.Available);
    }

    public bool Release(Guid reservationId, InventoryMovementType why = InventoryMovementType.Release)
    {
        if (!state.Reservations.TryGetValue(reservationId, out var reservation))
        {
            return false;
        }

        Emit(why, reservation.Quantity, reservationId, null);
        return true;
    }

    public CommitResult Commit(Guid reservationId)
    {
        if (state.Committed.TryGetValue(reservationId, out var done))
        {
            return new CommitResult(CommitOutcome.AlreadyCommitted, done);
        }

        if (!state.Reservations.TryGetValue(reservationId, out var reservation))
        {
            return new CommitResult(CommitOutcome.UnknownReservation, 0);
        }

        Emit(InventoryMovementType.Commit, reservation.Quantity, reservationId, null);
        return new CommitResult(CommitOutcome.Committed, reservation.Quantity);
    }

    /// <summary>Adds stock. With an <paramref name="operationId"/> already applied it changes nothing and returns false.</summary>
    public bool Restock(int quantity, string reason, string? notes = null, long? userId = null, Guid? operationId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        if (operationId is { } id && state.AppliedOperations.Contains(id))
        {
            return false;
        }

        Emit(InventoryMovementType.Restock, quantity, null, reason, notes, userId, operationId: operationId);
        return true;
    }

    /// <summary>
    /// Receives goods bought at a unit cost (a purchase order's receipt line). With an operation id
    /// already applied it changes nothing and returns false.
    /// </summary>
    public bool Receive(StockReceipt receipt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(receipt.Quantity);
        ArgumentOutOfRangeException.ThrowIfNegative(receipt.UnitCost);
        if (state.AppliedOperations.Contains(receipt.OperationId))
        {
            return false;
        }

        Emit(InventoryMovementType.Restock, receipt.Quantity, null, "purchase", receipt.Notes, receipt.UserId, operationId: receipt.OperationId,
            reference: (receipt.ReferenceType, receipt.ReferenceId, receipt.UnitCost));
        return true;
    }

    /// <summary>
    /// Takes units out of available stock for a transfer. Changed is false when the operation was
    /// applied before (Adjusted: a retry) or is refused (InvalidQuantity, InsufficientStock).
    /// </summary>
    public (bool Changed, AdjustmentOutcome Outcome) Withdraw(StockWithdrawal withdrawal)
    {
        if (state.AppliedOperations.Contains(withdrawal.OperationId))
        {
            return (false, AdjustmentOutcome.Adjusted);
        }

        if (withdrawal.Quantity <= 0)
        {
            return (false, AdjustmentOutcome.InvalidQuantity);
        }

        if (state.Available < withdrawal.Quantity)
        {
            return (false, AdjustmentOutcome.InsufficientStock);
        }

        Emit(InventoryMovementType.TransferOut, withdrawal.Quantity, null, "transfer", withdrawal.Notes, withdrawal.UserId,
            operationId: withdrawal.OperationId, reference: (withdrawal.ReferenceType, withdrawal.ReferenceId, state.CostPrice));
        return (true, AdjustmentOutcome.Adjusted);
    }

    /// <summary>Sets the reorder levels; false when they are already these.</summary>
    public bool SetReorderLevels(int reorderPoint, int reorderQuantity, long? userId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reorderPoint);
        ArgumentOutOfRangeException.ThrowIfNegative(reorderQuantity);
        if (state.ReorderPoint == reorderPoint && state.ReorderQuantity == reorderQuantity)
        {
            return false;
        }

        Emit(InventoryMovementType.ReorderLevels, 0, null, null, userId: userId, levels: (reorderPoint, reorderQuantity));
        return true;
    }

    /// <summary>
    /// The cost of one unit after receiving <paramref name="quantity"/> units at
    /// <paramref name="unitCost"/> into <paramref name="onHand"/> units costing
    /// <paramref name="cost"/> each (weighted average cost):
    /// (onHand × cost + quantity × unitCost) / (onHand + quantity), rounded to the cent. On hand is
    /// available plus reserved (sold units have left); with nothing on hand the new cost is the
    /// unit cost.
    /// </summary>
    public static decimal WeightedAverageCost(int onHand, decimal cost, int quantity, decimal unitCost) =>
        onHand <= 0
            ? unitCost
            : Math.Round((onHand * cost + quantity * unitCost) / (onHand + quantity), 2, MidpointRounding.AwayFromZero);

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

        Emit(InventoryMovementType.Adjust, quantityChange, null, reason, notes, userId);
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

    /// <summary>
    /// Changes the state by one movement. Deterministic: it reads nothing but the state and the
    /// movement, so a replay of the log takes the same path the original call took.
    /// </summary>
    public void Apply(InventoryMovement movement)
    {
        var quantity = movement.Quantity;
        switch (movement.Type)
        {
            case InventoryMovementType.Reserve:
                state.Available -= quantity;
                state.Reserved += quantity;
                state.Reservations[movement.ReservationId!.Value] = new Reservation(quantity, movement.ExpiresAt ?? movement.OccurredAt) { Holder = movement.Holder };
                CountHold(movement.Holder, quantity);
                break;
            case InventoryMovementType.Release or InventoryMovementType.Expire:
                ForgetHold(movement.ReservationId!.Value);
                state.Reservations.Remove(movement.ReservationId!.Value);
                state.Reserved -= quantity;
                state.Available += quantity;
                break;
            case InventoryMovementType.Commit:
                ForgetHold(movement.ReservationId!.Value);
                state.Reservations.Remove(movement.ReservationId!.Value);
                state.Reserved -= quantity;
                state.Sold += quantity;
                state.Committed[movement.ReservationId!.Value] = quantity;
                state.CommitHistory.Add(new CommittedReservation(movement.ReservationId!.Value, movement.OccurredAt));
                ForgetCommitsBefore(movement.OccurredAt - _committedRetention);
                break;
            case InventoryMovementType.Restock:
                if (movement.UnitCost is { } unitCost)
                {
                    state.CostPrice = WeightedAverageCost(state.Available + state.Reserved, state.CostPrice, quantity, unitCost);
                }

                state.Available += quantity;
                state.Received += quantity;
                if (movement.OperationId is { } operationId)
                {
                    state.AppliedOperations.Add(operationId);
                }

                break;
            case InventoryMovementType.Adjust:
                state.Available += quantity;
                if (quantity > 0)
                {
                    state.Received += quantity;
                }
                else
                {
                    state.WrittenOff -= quantity;
                }

                break;
            case InventoryMovementType.TransferOut:
                // Units that left this location, like a write-off: received = on hand + sold + gone.
                state.Available -= quantity;
                state.WrittenOff += quantity;
                state.AppliedOperations.Add(movement.OperationId!.Value);
                break;
            case InventoryMovementType.ReorderLevels:
                state.ReorderPoint = movement.ReorderPoint ?? state.ReorderPoint;
                state.ReorderQuantity = movement.ReorderQuantity ?? state.ReorderQuantity;
                break;
        }

        state.Version = movement.Version;
    }

    private void CountHold(long? holder, int quantity)
    {
        if (holder is { } customer)
        {
            var held = _heldByCustomer.GetValueOrDefault(customer) + quantity;
            if (held == 0)
            {
                _heldByCustomer.Remove(customer);
            }
            else
            {
                _heldByCustomer[customer] = held;
            }
        }
    }

    private void ForgetHold(Guid reservationId)
    {
        if (state.Reservations.TryGetValue(reservationId, out var reservation))
        {
            CountHold(reservation.Holder, -reservation.Quantity);
        }
    }

    private void ForgetCommitsBefore(DateTimeOffset cutoff)
    {
        var expired = 0;
        while (expired < state.CommitHistory.Count && state.CommitHistory[expired].CommittedAt < cutoff)
        {
            state.Committed.Remove(state.CommitHistory[expired].ReservationId);
            expired++;
        }

        state.CommitHistory.RemoveRange(0, expired);
    }

    private void Emit(
        InventoryMovementType type, int quantity, Guid? reservationId, string? reason, string? notes = null, long? userId = null,
        DateTimeOffset? expiresAt = null, Guid? operationId = null, long? holder = null,
        (string Type, long Id, decimal UnitCost)? reference = null, (int Point, int Quantity)? levels = null)
    {
        var availableBefore = state.Available;
        var movement = new InventoryMovement(Guid.NewGuid(), type, quantity, reservationId, reason, clock.GetUtcNow(), state.Version + 1)
        {
            Notes = notes,
            UserId = userId,
            ExpiresAt = expiresAt,
            OperationId = operationId,
            Holder = holder,
            ReferenceType = reference?.Type,
            ReferenceId = reference?.Id,
            UnitCost = reference?.UnitCost,
            ReorderPoint = levels?.Point,
            ReorderQuantity = levels?.Quantity,
        };
        Apply(movement);
        movement = movement with
        {
            AvailableAfter = state.Available,
            ReachedReorderPoint = state.ReorderPoint > 0 && availableBefore > state.ReorderPoint && state.Available <= state.ReorderPoint,
            CameBackInStock = availableBefore <= 0 && state.Available > 0,
        };
        state.Outbox.Add(movement);
        _unlogged.Add(movement);
    }
}
