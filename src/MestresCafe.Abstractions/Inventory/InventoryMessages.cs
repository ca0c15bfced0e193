namespace MestresCafe.Inventory;

/// <summary>Builds and parses the key of an inventory item grain.</summary>
public static class InventoryKey
{
    public const string DefaultLocation = "CD-SP";

    public static string For(string sku, string location = DefaultLocation) => $"{sku}@{location}";

    public static (string Sku, string Location) Parse(string key)
    {
        var at = key.LastIndexOf('@');
        return at <= 0 ? (key, DefaultLocation) : (key[..at], key[(at + 1)..]);
    }
}

[GenerateSerializer, Alias("mc.InventorySnapshot")]
public sealed record InventorySnapshot(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Location,
    [property: Id(2)] int Available,
    [property: Id(3)] int Reserved,
    [property: Id(4)] int Sold,
    [property: Id(5)] int Received,
    [property: Id(6)] int ReorderPoint,
    [property: Id(7)] int ReorderQuantity,
    [property: Id(8)] decimal CostPrice,
    [property: Id(9)] int ActiveReservations,
    [property: Id(10)] long Version);

[GenerateSerializer, Alias("mc.ReservationOutcome")]
public enum ReservationOutcome
{
    Reserved = 0,
    InsufficientStock = 1,
    InvalidQuantity = 2,
    UnknownItem = 3,
    /// <summary>The customer's unpaid orders already hold as many units of this item as they may.</summary>
    CustomerLimitReached = 4,
}

/// <summary>
/// Who holds a reservation and how many units of the item that customer's unpaid reservations may
/// hold together. Counted by the item's grain, which serializes every reservation of the item, so
/// concurrent checkouts of one customer cannot both pass the cap.
/// </summary>
[GenerateSerializer, Alias("mc.CustomerHoldLimit")]
public sealed record CustomerHoldLimit(
    [property: Id(0)] long CustomerUserId,
    [property: Id(1)] int MaxUnits);

[GenerateSerializer, Alias("mc.ReservationResult")]
public sealed record ReservationResult(
    [property: Id(0)] ReservationOutcome Outcome,
    [property: Id(1)] int AvailableAfter)
{
    public bool Succeeded => Outcome == ReservationOutcome.Reserved;
}

[GenerateSerializer, Alias("mc.CommitOutcome")]
public enum CommitOutcome
{
    Committed = 0,
    AlreadyCommitted = 1,
    UnknownReservation = 2,
}

[GenerateSerializer, Alias("mc.CommitResult")]
public sealed record CommitResult([property: Id(0)] CommitOutcome Outcome, [property: Id(1)] int Quantity);

[GenerateSerializer, Alias("mc.AdjustmentOutcome")]
public enum AdjustmentOutcome
{
    Adjusted = 0,
    InvalidQuantity = 1,
    InsufficientStock = 2,
    UnknownItem = 3,
}

[GenerateSerializer, Alias("mc.StockAdjustment")]
public sealed record StockAdjustment(
    [property: Id(0)] int QuantityChange,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? Notes,
    [property: Id(3)] long? UserId);

[GenerateSerializer, Alias("mc.AdjustmentResult")]
public sealed record AdjustmentResult([property: Id(0)] AdjustmentOutcome Outcome, [property: Id(1)] InventorySnapshot? Snapshot);

[GenerateSerializer, Alias("mc.ReservationState")]
public enum ReservationState
{
    /// <summary>Never made, released or expired.</summary>
    None = 0,
    Active = 1,
    Committed = 2,
}

/// <summary>
/// Goods received into stock at a unit cost, from a document the movement refers to (a purchase
/// order). <see cref="OperationId"/> makes the call idempotent: derive it from the receipt line so
/// that a retry anywhere adds nothing.
/// </summary>
[GenerateSerializer, Alias("mc.StockReceipt")]
public sealed record StockReceipt(
    [property: Id(0)] Guid OperationId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] decimal UnitCost,
    [property: Id(3)] string ReferenceType,
    [property: Id(4)] long ReferenceId,
    [property: Id(5)] string? Notes,
    [property: Id(6)] long? UserId);

/// <summary>
/// Units leaving this location for another (a transfer's first movement). <see cref="OperationId"/>
/// makes the call idempotent: derive it from the transfer so that a retry anywhere takes nothing more.
/// </summary>
[GenerateSerializer, Alias("mc.StockWithdrawal")]
public sealed record StockWithdrawal(
    [property: Id(0)] Guid OperationId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] string ReferenceType,
    [property: Id(3)] long ReferenceId,
    [property: Id(4)] string? Notes,
    [property: Id(5)] long? UserId);
