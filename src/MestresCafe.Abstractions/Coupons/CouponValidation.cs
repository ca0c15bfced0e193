namespace MestresCafe.Coupons;

/// <summary>
/// The checks a coupon definition must pass before the grain accepts it. They mirror the coupons
/// table's constraints, so that an accepted definition can always be projected: a projection that
/// a CHECK refuses would stall the grain's outbox. Keys are the back office's field names.
/// </summary>
public static class CouponValidation
{
    /// <summary>The largest amount numeric(12,2) holds.</summary>
    public const decimal MaxAmount = 9_999_999_999.99m;
    public const int MaxDescriptionLength = 255;

    /// <summary>Times in UTC, ids distinct and ordered, methods lower case, states upper case, blank description null.</summary>
    public static CouponDefinition Normalize(CouponDefinition definition)
    {
        var conditions = definition.Conditions ?? CouponConditions.None;
        return definition with
        {
            StartsAt = definition.StartsAt?.ToUniversalTime(),
            ExpiresAt = definition.ExpiresAt?.ToUniversalTime(),
            Description = string.IsNullOrWhiteSpace(definition.Description) ? null : definition.Description.Trim(),
            Conditions = new CouponConditions(
                Ids(conditions.CategoryIds), Ids(conditions.ProductIds), conditions.FirstOrderOnly, Ids(conditions.CustomerGroupIds))
            {
                ExcludedCategoryIds = Ids(conditions.ExcludedCategoryIds),
                ShippingMethods = (conditions.ShippingMethods ?? []).Select(m => (m ?? "").Trim().ToLowerInvariant()).Distinct().Order().ToList(),
                ShippingStates = (conditions.ShippingStates ?? []).Select(s => (s ?? "").Trim().ToUpperInvariant()).Distinct().Order().ToList(),
                UserIds = Ids(conditions.UserIds),
            },
        };
    }

    /// <summary>Field errors of a normalized definition; empty when it is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(CouponDefinition definition)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) =>
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        if (!Enum.IsDefined(definition.Type))
        {
            Add("type", $"Must be {SnakeCaseNames.Choices<CouponType>()}.");
        }

        switch (definition.Type)
        {
            case CouponType.Percentage when definition.Value is <= 0 or > 100:
                Add("value", "A percentage must be greater than 0 and at most 100.");
                break;
            case CouponType.FixedAmount when definition.Value <= 0:
                Add("value", "A fixed amount must be greater than 0.");
                break;
            case CouponType.FreeShipping when definition.Value < 0:
                Add("value", "The shipping cap must be 0 (no cap) or more.");
                break;
        }

        CheckAmount("value", definition.Value, Add);
        if (definition.MinimumAmount < 0)
        {
            Add("minimumAmount", "Must be 0 or more.");
        }

        CheckAmount("minimumAmount", definition.MinimumAmount, Add);
        if (definition.UsageLimit is <= 0)
        {
            Add("usageLimit", "Must be greater than 0, or absent for no limit.");
        }

        if (definition.PerCustomerLimit is <= 0)
        {
            Add("perCustomerLimit", "Must be greater than 0, or absent for no limit.");
        }

        if (definition.StartsAt is { } starts && definition.ExpiresAt is { } expires && starts >= expires)
        {
            Add("expiresAt", "Must be after startsAt.");
        }

        if (definition.Description is { Length: > MaxDescriptionLength })
        {
            Add("description", $"At most {MaxDescriptionLength} characters.");
        }

        var conditions = definition.Conditions;
        if (conditions is null)
        {
            Add("conditions", "Required.");
            return errors;
        }

        CheckIds("conditions.categoryIds", conditions.CategoryIds, Add);
        CheckIds("conditions.productIds", conditions.ProductIds, Add);
        CheckIds("conditions.excludedCategoryIds", conditions.ExcludedCategoryIds, Add);
        CheckIds("conditions.customerGroupIds", conditions.CustomerGroupIds, Add);
        CheckIds("conditions.userIds", conditions.UserIds, Add);
        if (conditions.ShippingMethods is null || conditions.ShippingMethods.Any(m => string.IsNullOrWhiteSpace(m) || m.Length > 50))
        {
            Add("conditions.shippingMethods", "Each method is a non-empty code of at most 50 characters.");
        }

        if (conditions.ShippingStates is null || conditions.ShippingStates.Any(s => s is not { Length: 2 } || !s.All(char.IsAsciiLetterUpper)))
        {
            Add("conditions.states", "Each state is a two-letter upper-case UF, e.g. SP.");
        }

        return errors;
    }

    private static List<long> Ids(IReadOnlyList<long>? ids) => (ids ?? []).Distinct().Order().ToList();

    private static void CheckAmount(string field, decimal amount, Action<string, string> add)
    {
        if (amount > MaxAmount)
        {
            add(field, "Too large.");
        }

        if (decimal.Round(amount, 2) != amount)
        {
            add(field, "At most two decimal places (cents).");
        }
    }

    private static void CheckIds(string field, IReadOnlyList<long>? ids, Action<string, string> add)
    {
        if (ids is null || ids.Any(id => id <= 0))
        {
            add(field, "Ids must be positive.");
        }
    }
}
