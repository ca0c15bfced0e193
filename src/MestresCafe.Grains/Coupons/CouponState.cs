using MestresCafe.Grains.Projections;
using MestresCafe.Coupons;

namespace MestresCafe.Grains.Coupons;

/// <summary>Persisted state of one coupon grain.</summary>
[GenerateSerializer, Alias("mc.CouponState")]
public sealed class CouponState
{
    /// <summary>Null until the coupon is defined (or found in the coupons table on first activation).</summary>
    [Id(0)] public CouponDefinition? Definition { get; set; }

    /// <summary>
    /// Confirmed uses. Equal to <see cref="Uses"/>.Count unless the coupons row the grain started
    /// from counted uses that have no coupon_usage row.
    /// </summary>
    [Id(1)] public int UsedCount { get; set; }

    /// <summary>Live holds by order number; they count against both limits until confirmed or released.</summary>
    [Id(2)] public Dictionary<string, CouponHold> Holds { get; set; } = [];

    /// <summary>Confirmed uses by order number, kept for idempotent confirms and the per-customer limit.</summary>
    [Id(3)] public Dictionary<string, CouponUse> Uses { get; set; } = [];

    /// <summary>
    /// Holds that expired without a release, kept for a while so that a payment captured after the
    /// hold expired can still confirm the use when the limits allow it.
    /// </summary>
    [Id(4)] public Dictionary<string, CouponHold> Lapsed { get; set; } = [];

    /// <summary>Domain events written with the state and projected to the relational tables afterwards.</summary>
    [Id(5)] public List<CouponEvent> Outbox { get; set; } = [];

    /// <summary>Bumped by every change; the coupons row only ever takes a newer version.</summary>
    [Id(6)] public long Version { get; set; }
}

[GenerateSerializer, Alias("mc.CouponHold")]
public sealed record CouponHold(
    [property: Id(0)] long UserId,
    [property: Id(1)] decimal Discount,
    [property: Id(2)] bool FreeShipping,
    [property: Id(3)] decimal ShippingDiscount,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] DateTimeOffset HeldAt);

[GenerateSerializer, Alias("mc.CouponUse")]
public sealed record CouponUse(
    [property: Id(0)] long UserId,
    [property: Id(1)] decimal Discount,
    [property: Id(2)] DateTimeOffset UsedAt,
    [property: Id(3)] bool FreeShipping,
    [property: Id(4)] decimal ShippingDiscount);

[GenerateSerializer, Alias("mc.CouponEventType")]
public enum CouponEventType
{
    Defined = 0,
    Confirmed = 1,
}

/// <summary>
/// A change the relational side must see: a definition (the coupons row) or a confirmed use (a
/// coupon_usage row keyed by coupon and order, and coupons.used_count).
/// </summary>
[GenerateSerializer, Alias("mc.CouponEvent")]
public sealed record CouponEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] CouponEventType Type,
    [property: Id(2)] long Version,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] string? OrderNumber,
    [property: Id(5)] decimal Discount) : IOutboxEvent;
