namespace MestresCafe.Coupons;

/// <summary>The names coupons.type and the back office use for <see cref="CouponType"/>.</summary>
public static class CouponTypeNames
{
    public const string Percentage = "percentage";
    public const string FixedAmount = "fixed_amount";
    public const string FreeShipping = "free_shipping";

    public static string ToName(this CouponType type) => type switch
    {
        CouponType.Percentage => Percentage,
        CouponType.FixedAmount => FixedAmount,
        CouponType.FreeShipping => FreeShipping,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? name, out CouponType type)
    {
        switch (name)
        {
            case Percentage: type = CouponType.Percentage; return true;
            case FixedAmount: type = CouponType.FixedAmount; return true;
            case FreeShipping: type = CouponType.FreeShipping; return true;
            default: type = default; return false;
        }
    }
}
