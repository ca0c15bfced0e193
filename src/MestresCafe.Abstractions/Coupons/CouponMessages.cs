namespace MestresCafe.Coupons;

[GenerateSerializer, Alias("mc.CouponType")]
public enum CouponType
{
    Percentage = 0,
    FixedAmount = 1,
    FreeShipping = 2,
}

/// <summary>What the back office sets. Conditions restrict where the coupon applies.</summary>
[GenerateSerializer, Alias("mc.CouponDefinition")]
public sealed record CouponDefinition(
    [property: Id(0)] CouponType Type,
    [property: Id(1)] decimal Value,
    [property: Id(2)] decimal MinimumAmount,
    [property: Id(3)] int? UsageLimit,
    [property: Id(4)] int? PerCustomerLimit,
    [property: Id(5)] DateTimeOffset? StartsAt,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] bool IsActive,
    [property: Id(8)] CouponConditions Conditions,
    [property: Id(9)] string? Description);

/// <summary>
/// Where a coupon applies. A line is eligible when no category or product is listed, or when its
/// product or one of its categories (ancestors included) is listed, and none of its categories is
/// excluded. Empty lists restrict nothing.
/// </summary>
[GenerateSerializer, Alias("mc.CouponConditions")]
public sealed record CouponConditions(
    [property: Id(0)] IReadOnlyList<long> CategoryIds,
    [property: Id(1)] IReadOnlyList<long> ProductIds,
    [property: Id(2)] bool FirstOrderOnly,
    [property: Id(3)] IReadOnlyList<long> CustomerGroupIds)
{
    public static CouponConditions None { get; } = new([], [], false, []);

    /// <summary>Lines in any of these categories are never eligible (e.g. "all but microlots").</summary>
    [Id(4)] public IReadOnlyList<long> ExcludedCategoryIds { get; init; } = [];

    /// <summary>Shipping method codes the order must use (e.g. "pac", "sedex").</summary>
    [Id(5)] public IReadOnlyList<string> ShippingMethods { get; init; } = [];

    /// <summary>Brazilian states (UF, upper case) the order must ship to.</summary>
    [Id(6)] public IReadOnlyList<string> ShippingStates { get; init; } = [];

    /// <summary>The only users who may use the coupon (a loyalty reward coupon: its redeemer); empty = anyone.</summary>
    [Id(7)] public IReadOnlyList<long> UserIds { get; init; } = [];
}

[GenerateSerializer, Alias("mc.CouponSnapshot")]
public sealed record CouponSnapshot(
    [property: Id(0)] string Code,
    [property: Id(1)] CouponDefinition Definition,
    [property: Id(2)] int UsedCount,
    [property: Id(3)] int HeldCount,
    [property: Id(4)] long Version);

/// <summary>One order line as the coupon rules see it.</summary>
[GenerateSerializer, Alias("mc.CouponLine")]
public sealed record CouponLine(
    [property: Id(0)] long ProductId,
    [property: Id(1)] IReadOnlyList<long> CategoryIds,
    [property: Id(2)] decimal LineTotal);

/// <summary>
/// An order asking the coupon for one use. The customer facts (<see cref="IsFirstOrder"/>,
/// <see cref="CustomerGroupIds"/>, <see cref="IsEmailVerified"/>) are the coupon grain's to find
/// out, from the customer's records and its own history, when its conditions need them: what a
/// caller puts there is not trusted.
/// </summary>
[GenerateSerializer, Alias("mc.CouponHoldRequest")]
public sealed record CouponHoldRequest(
    [property: Id(0)] string OrderNumber,
    [property: Id(1)] long UserId,
    [property: Id(2)] IReadOnlyList<CouponLine> Lines,
    [property: Id(3)] decimal ShippingAmount,
    [property: Id(4)] bool IsFirstOrder,
    [property: Id(5)] IReadOnlyList<long> CustomerGroupIds,
    [property: Id(6)] DateTimeOffset ExpiresAt)
{
    /// <summary>What the order knows: its lines, shipping and expiry; the coupon grain adds the customer facts.</summary>
    public CouponHoldRequest(string orderNumber, long userId, IReadOnlyList<CouponLine> lines, decimal shippingAmount, DateTimeOffset expiresAt)
        : this(orderNumber, userId, lines, shippingAmount, false, [], expiresAt)
    {
    }

    /// <summary>The chosen shipping method code; needed when the coupon restricts shipping methods.</summary>
    [Id(7)] public string? ShippingMethod { get; init; }

    /// <summary>The destination state (UF); needed when the coupon restricts destination states.</summary>
    [Id(8)] public string? ShippingState { get; init; }

    /// <summary>Whether the customer proved they hold their e-mail; a first-order coupon needs it (one mailbox, one first order).</summary>
    [Id(9)] public bool IsEmailVerified { get; init; }
}

[GenerateSerializer, Alias("mc.CouponHoldOutcome")]
public enum CouponHoldOutcome
{
    Held = 0,
    NotFound = 1,
    Inactive = 2,
    NotStarted = 3,
    Expired = 4,
    BelowMinimum = 5,
    UsageLimitReached = 6,
    CustomerLimitReached = 7,
    NotApplicable = 8,
    FirstOrderOnly = 9,
    /// <summary>The coupon belongs to other customers (e.g. a reward coupon redeemed by someone else).</summary>
    OtherCustomer = 10,
    /// <summary>A first-order coupon asked by a customer whose e-mail is not verified yet.</summary>
    EmailNotVerified = 11,
}

/// <summary>
/// The outcome of a hold. <see cref="Discount"/> is the amount off the merchandise subtotal;
/// <see cref="FreeShipping"/> means the shipping amount is waived, by <see cref="ShippingDiscount"/>
/// (all of it, or up to the coupon's cap when it has one).
/// </summary>
[GenerateSerializer, Alias("mc.CouponHoldResult")]
public sealed record CouponHoldResult(
    [property: Id(0)] CouponHoldOutcome Outcome,
    [property: Id(1)] decimal Discount,
    [property: Id(2)] bool FreeShipping)
{
    /// <summary>The amount off the shipping; non-zero only for a free-shipping coupon.</summary>
    [Id(3)] public decimal ShippingDiscount { get; init; }

    public bool Succeeded => Outcome == CouponHoldOutcome.Held;

    public static CouponHoldResult Rejected(CouponHoldOutcome outcome) => new(outcome, 0, false);
}
