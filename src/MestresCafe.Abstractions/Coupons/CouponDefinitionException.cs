namespace MestresCafe.Coupons;

/// <summary>
/// A coupon definition the grain refused; <see cref="Field"/> names the back office field at fault
/// (e.g. "usageLimit" when it is below the uses already confirmed or held).
/// </summary>
[GenerateSerializer, Alias("mc.CouponDefinitionException")]
public sealed class CouponDefinitionException : Exception
{
    public CouponDefinitionException()
    {
    }

    public CouponDefinitionException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    [Id(0)] public string Field { get; private set; } = "";
}
