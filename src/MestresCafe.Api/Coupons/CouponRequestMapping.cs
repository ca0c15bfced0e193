using System.ComponentModel.DataAnnotations;
using MestresCafe.Coupons;

namespace MestresCafe.Api.Coupons;

/// <summary>
/// Turns a back office body into a definition. <see cref="Validate"/> (run by <see cref="CouponRequest"/>
/// before the handler) names what is wrong with it by the rules the coupon grain applies, so
/// <see cref="ToDefinition"/> only maps.
/// </summary>
public static class CouponRequestMapping
{
    public static IEnumerable<ValidationResult> Validate(CouponRequest request)
    {
        var typed = SnakeCaseNames.TryParse<CouponType>(request.Type, out var type);
        if (!typed)
        {
            yield return new ValidationResult($"Must be {SnakeCaseNames.Choices<CouponType>()}.", ["type"]);
        }

        var valued = request.Value is not null || type == CouponType.FreeShipping;
        if (!valued)
        {
            yield return new ValidationResult("Required.", ["value"]);
        }

        if (!typed || !valued)
        {
            yield break;
        }

        foreach (var (field, messages) in CouponValidation.Validate(ToDefinition(request)))
        {
            foreach (var message in messages)
            {
                yield return new ValidationResult(message, [field]);
            }
        }
    }

    public static CouponDefinition ToDefinition(CouponRequest request)
    {
        SnakeCaseNames.TryParse<CouponType>(request.Type, out var type);
        var conditions = request.Conditions;
        return CouponValidation.Normalize(new CouponDefinition(
            type,
            request.Value ?? 0,
            request.MinimumAmount ?? 0,
            request.UsageLimit,
            request.PerCustomerLimit,
            request.StartsAt,
            request.ExpiresAt,
            request.IsActive ?? true,
            new CouponConditions(conditions?.CategoryIds ?? [], conditions?.ProductIds ?? [], conditions?.FirstOrderOnly ?? false, conditions?.CustomerGroupIds ?? [])
            {
                ExcludedCategoryIds = conditions?.ExcludedCategoryIds ?? [],
                ShippingMethods = conditions?.ShippingMethods ?? [],
                ShippingStates = conditions?.States ?? [],
                UserIds = conditions?.UserIds ?? [],
            },
            request.Description));
    }
}
