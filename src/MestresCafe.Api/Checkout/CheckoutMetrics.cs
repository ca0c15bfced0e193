using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using MestresCafe.Coupons;
using MestresCafe.Orders;

namespace MestresCafe.Api.Checkout;

/// <summary>
/// Checkouts by outcome and refusals by reason, under the meter <c>MestresCafe.Checkout</c>. Tags
/// are the enums' snake_case names (cached strings): recording allocates nothing on the buying path.
/// A retry with the same Idempotency-Key that returns the same order counts again: these count
/// answers, the orders table counts orders.
/// </summary>
public static class CheckoutMetrics
{
    public const string MeterName = "MestresCafe.Checkout";
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Checkouts = Meter.CreateCounter<long>(
        "mestrescafe.checkouts", unit: "{checkout}", description: "Checkout answers, tagged with the outcome (created or the refusal).");

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "mestrescafe.checkout.refusals", unit: "{checkout}", description: "Refused checkouts by reason: the outcome, or the coupon's own refusal when the coupon refused.");

    public static void Record(CheckoutResult result)
    {
        var outcome = result.Outcome.ToSnakeCase();
        Checkouts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (result.Outcome == CheckoutOutcome.Created)
        {
            return;
        }

        var reason = result.Outcome == CheckoutOutcome.CouponRefused && result.CouponOutcome is { } coupon
            ? CouponReasons.Names.GetValueOrDefault(coupon, outcome)
            : outcome;
        Refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    // "coupon_usage_limit_reached"...: built once per coupon outcome, not per checkout.
    private static class CouponReasons
    {
        public static readonly FrozenDictionary<CouponHoldOutcome, string> Names =
            Enum.GetValues<CouponHoldOutcome>().Distinct().ToFrozenDictionary(v => v, v => "coupon_" + v.ToSnakeCase());
    }
}
