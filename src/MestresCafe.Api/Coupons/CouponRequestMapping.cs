using MestresCafe.Coupons;

namespace MestresCafe.Api.Coupons;

/// <summary>Turns a back office body into a definition, collecting field errors on the way.</summary>
public static class CouponRequestMapping
{
    public static (CouponDefinition? Definition, Dictionary<string, string[]> Errors) ToDefinition(CouponRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SnakeCaseNames.TryParse<CouponType>(request.Type, out var type))
        {
            errors["type"] = [$"Must be {SnakeCaseNames.Choices<CouponType>()}."];
        }

        if (request.Value is null && type != CouponType.FreeShipping)
        {
            errors["value"] = ["Required."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var conditions = request.Conditions;
        var definition = CouponValidation.Normalize(new CouponDefinition(
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
        errors = CouponValidation.Validate(definition);
        return (errors.Count == 0 ? definition : null, errors);
    }
}
