using MestresCafe.Inventory;

namespace MestresCafe.LoadTest.Invariants;

/// <summary>
/// What a run left behind, gathered from the grains and the relational tables (or written by hand
/// in a test): the input of <see cref="InvariantChecker"/>.
/// </summary>
public sealed record InvariantHistory(
    IReadOnlyList<ItemFigures> Items,
    IReadOnlyList<AcknowledgedReservation> Reservations,
    IReadOnlyList<AcknowledgedOrder> Orders,
    IReadOnlyList<CouponFigures> Coupons,
    TimeSpan? ProjectionLag = null,
    IReadOnlyList<OrderPoints>? OrderPoints = null,
    IReadOnlyList<AccountPoints>? Accounts = null);

/// <summary>
/// One item as seen by one source ("grain" or "table"). <see cref="InitialStock"/> and
/// <see cref="Adjustments"/> come from the harness's setup; <see cref="AcknowledgedUnits"/> is what
/// clients were told they hold (reservations and orders answered with success).
/// </summary>
public sealed record ItemFigures(
    string Source,
    string Key,
    long InitialStock,
    long Adjustments,
    long Available,
    long Reserved,
    long Sold,
    long AcknowledgedUnits);

/// <summary>A reservation a client was told succeeded, and where the grain says it stands now.</summary>
public sealed record AcknowledgedReservation(string ItemKey, Guid ReservationId, ReservationState Observed);

/// <summary>An order a client was told was created, and how many rows carry its number.
/// <see cref="KnownToGrain"/> tells a late projection (the grain has the order) from a lost order.</summary>
public sealed record AcknowledgedOrder(string OrderNumber, int RowsFound, bool KnownToGrain = true);

/// <summary>A coupon's limits and uses: the counter, the usage rows, and uses per customer.</summary>
public sealed record CouponFigures(
    string Code,
    int? UsageLimit,
    int? PerCustomerLimit,
    int UsedCount,
    int UsageRows,
    IReadOnlyDictionary<long, int> UsesByCustomer);

/// <summary>
/// The loyalty earnings of one acknowledged order: whether it is paid and how many points were
/// posted for it (earn rows, and reversals and clawbacks for refunds). A paid order earns exactly once.
/// </summary>
public sealed record OrderPoints(string OrderNumber, bool Paid, int EarnRows, int EarnedPoints, int ReversedPoints);

/// <summary>
/// One loyalty account as seen by one source ("grain" or "table"): its balance, and the sum of
/// every transaction projected for it, which the balance must equal.
/// </summary>
public sealed record AccountPoints(string Source, long UserId, int Balance, int TransactionSum);
