using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Coupons;
using MestresCafe.Data.Coupons;

namespace MestresCafe.Api.Coupons;

/// <summary>
/// A coupon as the back office writes it. On update the code comes from the route; absent
/// optional fields take their defaults (active, no minimum, no limits, no conditions), except
/// conditions.userIds: the customers a coupon is for are fixed when it is created, and an update
/// that leaves them out keeps them.
/// </summary>
public sealed record CouponRequest(
    [CouponCodeFormat] string? Code,
    string? Type,
    decimal? Value,
    decimal? MinimumAmount,
    int? UsageLimit,
    int? PerCustomerLimit,
    DateTimeOffset? StartsAt,
    DateTimeOffset? ExpiresAt,
    bool? IsActive,
    string? Description,
    CouponConditionsBody? Conditions) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => CouponRequestMapping.Validate(this);
}

/// <summary>A code, when one is sent, fits the coupons column once normalized.</summary>
public sealed class CouponCodeFormatAttribute : ValidationAttribute
{
    public static readonly string Message = $"1 to {CouponCode.MaxLength} letters, digits, '-' or '_', starting with a letter or digit.";

    public CouponCodeFormatAttribute() : base(() => Message)
    {
    }

    public override bool IsValid(object? value) => value is not string code || CouponCode.IsValid(CouponCode.Normalize(code));
}

public sealed record CouponConditionsBody(
    IReadOnlyList<long>? CategoryIds,
    IReadOnlyList<long>? ProductIds,
    IReadOnlyList<long>? ExcludedCategoryIds,
    bool? FirstOrderOnly,
    IReadOnlyList<long>? CustomerGroupIds,
    IReadOnlyList<string>? ShippingMethods,
    IReadOnlyList<string>? States,
    IReadOnlyList<long>? UserIds = null)
{
    public static CouponConditionsBody From(CouponConditions conditions) => new(
        conditions.CategoryIds, conditions.ProductIds, conditions.ExcludedCategoryIds, conditions.FirstOrderOnly,
        conditions.CustomerGroupIds, conditions.ShippingMethods, conditions.ShippingStates, conditions.UserIds);
}

/// <summary>One coupon as its grain holds it, with the relational usage figures on the detail view.</summary>
public sealed record CouponView(
    string Code,
    string Type,
    decimal Value,
    decimal MinimumAmount,
    int? UsageLimit,
    int? PerCustomerLimit,
    DateTimeOffset? StartsAt,
    DateTimeOffset? ExpiresAt,
    bool IsActive,
    string? Description,
    CouponConditionsBody Conditions,
    int UsedCount,
    int HeldCount,
    long Version,
    CouponUsageSummary? Usage = null)
{
    public static CouponView From(CouponSnapshot snapshot, CouponUsageSummary? usage = null)
    {
        var d = snapshot.Definition;
        return new(snapshot.Code, d.Type.ToSnakeCase(), d.Value, d.MinimumAmount, d.UsageLimit, d.PerCustomerLimit, d.StartsAt,
            d.ExpiresAt, d.IsActive, d.Description, CouponConditionsBody.From(d.Conditions), snapshot.UsedCount, snapshot.HeldCount,
            snapshot.Version, usage);
    }
}
