using MestresCafe.Grains.Projections;
namespace MestresCafe.Grains.Inventory;

/// <summary>Persisted state of one inventory item grain.</summary>
[GenerateSerializer, Alias("mc.InventoryItemState")]
public sealed class InventoryItemState
{
    [Id(0)] public bool Initialized { get; set; }
    [Id(1)] public int Available { get; set; }
    [Id(2)] public int Reserved { get; set; }
    [Id(3)] public int Sold { get; set; }
    /// <summary>Every unit that ever came in: initial stock, restocks and positive adjustments.</summary>
    [Id(4)] public int Received { get; set; }
    /// <summary>Units taken out by negative adjustments (loss, breakage, counting).</summary>
    [Id(5)] public int WrittenOff { get; set; }
    [Id(6)] public int ReorderPoint { get; set; }
    [Id(7)] public int ReorderQuantity { get; set; }
    [Id(8)] public decimal CostPrice { get; set; }
    [Id(9)] public Dictionary<Guid, Reservation> Reservations { get; set; } = [];
    /// <summary>
    /// Reservations already committed (id to quantity), kept so that a retried commit stays
    /// idempotent; only for <see cref="InventoryOptions.CommittedRetention"/>, see <see cref="CommitHistory"/>.
    /// </summary>
    [Id(10)] public Dictionary<Guid, int> Committed { get; set; } = [];
    /// <summary>Domain events written with the state and projected to the relational tables afterwards.</summary>
    [Id(11)] public List<InventoryMovement> Outbox { get; set; } = [];
    [Id(12)] public long Version { get; set; }
    /// <summary>The inventory row this item projects into (0 until bootstrapped from it).</summary>
    [Id(13)] public long InventoryId { get; set; }
    [Id(14)] public long ProductId { get; set; }
    [Id(15)] public long? VariantId { get; set; }
    /// <summary>Ids of idempotent restocks already applied (returns, cancelled sales).</summary>
    [Id(16)] public HashSet<Guid> AppliedOperations { get; set; } = [];
    /// <summary>
    /// Sequence number of the last log record folded into this state. The state itself is the
    /// snapshot record; the batches after it live in the log ring (see <see cref="InventoryLog"/>).
    /// </summary>
    [Id(17)] public long LogSequence { get; set; }
    /// <summary><see cref="Committed"/> in commit order with the commit time, so that old entries can be dropped.</summary>
    [Id(18)] public List<CommittedReservation> CommitHistory { get; set; } = [];
    /// <summary>Id of the log record <see cref="LogSequence"/>: the record after it must name it (see <see cref="InventoryLogRecord.PreviousId"/>).</summary>
    [Id(19)] public Guid LogRecordId { get; set; }
}

[GenerateSerializer, Alias("mc.CommittedReservation")]
public sealed record CommittedReservation(
    [property: Id(0)] Guid ReservationId,
    [property: Id(1)] DateTimeOffset CommittedAt);

[GenerateSerializer, Alias("mc.Reservation")]
public sealed record Reservation(
    [property: Id(0)] int Quantity,
    [property: Id(1)] DateTimeOffset ExpiresAt)
{
    /// <summary>The customer (user id) whose unpaid order holds it, when the reservation counts towards a per-customer cap.</summary>
    [Id(2)] public long? Holder { get; init; }
}

[GenerateSerializer, Alias("mc.InventoryMovementType")]
public enum InventoryMovementType
{
    Initial = 0,
    Reserve = 1,
    Release = 2,
    Expire = 3,
    Commit = 4,
    Restock = 5,
    Adjust = 6,
    /// <summary>New reorder levels: no stock moves, so it is logged but not projected as a movement row.</summary>
    ReorderLevels = 7,
    /// <summary>Units sent to another location (a transfer's first movement).</summary>
    TransferOut = 8,
}

/// <summary>
/// One change of stock, projected as an inventory_movements row keyed by <see cref="EventId"/>.
/// <see cref="Quantity"/> is signed only for adjustments. It is also the unit of the grain's log:
/// applying a state's movements in version order rebuilds it (<see cref="InventoryLedger.Apply"/>).
/// </summary>
[GenerateSerializer, Alias("mc.InventoryMovement")]
public sealed record InventoryMovement(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] InventoryMovementType Type,
    [property: Id(2)] int Quantity,
    [property: Id(3)] Guid? ReservationId,
    [property: Id(4)] string? Reason,
    [property: Id(5)] DateTimeOffset OccurredAt,
    [property: Id(6)] long Version) : IOutboxEvent
{
    [Id(7)] public string? Notes { get; init; }
    [Id(8)] public long? UserId { get; init; }
    [Id(9)] public int AvailableAfter { get; init; }
    /// <summary>This change took available stock from above the reorder point to at or below it.</summary>
    [Id(10)] public bool ReachedReorderPoint { get; init; }
    /// <summary>When a reservation made by this movement expires (reservations only).</summary>
    [Id(11)] public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The idempotency id of the restock that made this movement, when it had one.</summary>
    [Id(12)] public Guid? OperationId { get; init; }
    /// <summary>The customer holding the reservation this movement made (reservations for a customer only).</summary>
    [Id(13)] public long? Holder { get; init; }
    /// <summary>The document a receipt came from (<c>purchase_order</c>) and its id.</summary>
    [Id(14)] public string? ReferenceType { get; init; }
    [Id(15)] public long? ReferenceId { get; init; }
    /// <summary>What a received unit cost: a restock with a unit cost moves the item's cost to the weighted average.</summary>
    [Id(16)] public decimal? UnitCost { get; init; }
    /// <summary>The new levels of a <see cref="InventoryMovementType.ReorderLevels"/> movement.</summary>
    [Id(17)] public int? ReorderPoint { get; init; }
    [Id(18)] public int? ReorderQuantity { get; init; }
    /// <summary>This change took available stock from none to some: customers who asked are told (back in stock).</summary>
    [Id(19)] public bool CameBackInStock { get; init; }
}
