using MestresCafe.Coupons;

namespace MestresCafe.Grains.Loyalty;

/// <summary>How a reward becomes a coupon: single use, for this customer only, expiring with the redemption.</summary>
public static class RewardCoupons
{
    /// <summary>Null for rewards that are not coupons (a free product or an experience is fulfilled by staff).</summary>
    public static CouponDefinition? Definition(RewardDefinition reward, Redemption redemption, long userId)
    {
        CouponType type;
        decimal value;
        switch (reward.Type)
        {
            case "discount" when reward.DiscountType == "percentage":
                type = CouponType.Percentage;
                value = reward.DiscountValue ?? 0;
                break;
            case "discount":
                type = CouponType.FixedAmount;
                value = reward.DiscountValue ?? 0;
                break;
            case "free_shipping":
                type = CouponType.FreeShipping;
                value = 0;
                break;
            default:
                return null;
        }

        var conditions = CouponConditions.None with { CategoryIds = reward.CategoryIds };
        conditions = conditions with { ShippingMethods = reward.ShippingMethods, UserIds = [userId] };
        return new CouponDefinition(
            type, value, reward.MinimumAmount, UsageLimit: 1, PerCustomerLimit: 1, StartsAt: null, ExpiresAt: redemption.ExpiresAt,
            IsActive: true, conditions, $"Recompensa {reward.Name} (cliente {userId})");
    }
}
