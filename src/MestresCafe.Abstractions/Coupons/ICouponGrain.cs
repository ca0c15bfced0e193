namespace MestresCafe.Coupons;

/// <summary>
/// One coupon code (the key, upper case). Every hold, confirmation and release of a use is
/// serialized here, so that confirmed plus held uses never exceed the global limit and no customer
/// exceeds the per-customer limit, under any concurrency. The grain is the only writer of its
/// coupons row (definition and used_count) and of coupon_usage.
/// </summary>
public interface ICouponGrain : IGrainWithStringKey
{
    /// <summary>The definition and usage counters, or null when no such coupon exists.</summary>
    Task<CouponSnapshot?> GetAsync();

    /// <summary>
    /// Creates or replaces the coupon's definition (back office). Counters are kept. Throws
    /// <see cref="CouponDefinitionException"/> for a definition that <see cref="CouponValidation"/>
    /// refuses, or a usage limit below the uses already confirmed or held.
    /// </summary>
    Task<CouponSnapshot> DefineAsync(CouponDefinition definition);

    /// <summary>Defines the coupon only if it does not exist yet; null when it already does.</summary>
    Task<CouponSnapshot?> CreateAsync(CouponDefinition definition);

    /// <summary>
    /// Checks every rule against the order and holds one use until <see cref="CouponHoldRequest.ExpiresAt"/>.
    /// Idempotent per order number: holding again for an order that holds or used the coupon returns
    /// the first result. A refused hold is not remembered: asking again re-evaluates the rules.
    /// </summary>
    Task<CouponHoldResult> HoldAsync(CouponHoldRequest request);

    /// <summary>
    /// Turns the order's hold into a confirmed use (payment captured). Idempotent. A hold that expired
    /// before the payment was captured is still confirmed while the limits allow it; false when the
    /// order holds no use (unknown or released) or its lapsed hold no longer fits the limits.
    /// </summary>
    Task<bool> ConfirmAsync(string orderNumber);

    /// <summary>Gives back the order's hold (payment failed, order cancelled). Unknown orders are a no-op.</summary>
    Task ReleaseAsync(string orderNumber);
}
