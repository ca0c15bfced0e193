namespace MestresCafe.Loyalty;

/// <summary>
/// How an order turns into loyalty points and how a refund takes them back: the one rule the
/// loyalty ledger applies and the demo sales history writes.
/// </summary>
public static class LoyaltyEarning
{
    /// <summary>Points are earned on merchandise after discount, never on shipping.</summary>
    public static decimal EarningAmount(decimal subtotal, decimal discount) => Math.Max(0m, subtotal - discount);

    /// <summary>Whole points for an earning amount, at the program's rate and the member's tier multiplier.</summary>
    public static int Points(decimal earningAmount, decimal pointsPerBrl, decimal tierMultiplier) =>
        (int)Math.Floor(earningAmount * pointsPerBrl * tierMultiplier);

    /// <summary>
    /// The share of an order that went back: all of it once cancelled after payment or refunded in
    /// full, otherwise what was refunded over what was paid.
    /// </summary>
    public static decimal RefundedShare(decimal refunded, decimal paid, bool cancelled) =>
        cancelled || (paid > 0 && refunded >= paid) ? 1m : paid > 0 ? refunded / paid : 0m;

    /// <summary>Of the points an order earned, those its refunded share takes back (rounded half away from zero).</summary>
    public static int PointsTakenBack(int earned, decimal refundedShare) =>
        refundedShare >= 1m ? earned : (int)Math.Round(earned * refundedShare, MidpointRounding.AwayFromZero);
}
