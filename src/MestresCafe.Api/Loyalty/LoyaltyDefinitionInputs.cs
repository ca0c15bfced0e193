using System.Text.Json;
using MestresCafe.Api.Catalog.Admin;

namespace MestresCafe.Api.Loyalty;

/// <summary>Fields the back office sets on a loyalty program; rules replace the whole document.</summary>
public sealed record ProgramInput(string? Name, string? Description, string? Type, JsonElement? Rules, bool? IsActive) : IDefinitionInput
{
    private static readonly string[] Types = ["points", "tiered", "cashback"];

    ColumnBuilder IDefinitionInput.ToColumns(bool creating)
    {
        var columns = new ColumnBuilder(creating)
            .Text("name", "name", Name, 100, required: true)
            .Text("description", "description", Description, 2000)
            .Text("type", "type", Type, 20, rule: Types.Contains, ruleMessage: "points, tiered or cashback.")
            .Json("rules", "rules", Rules, JsonValueKind.Object)
            .Flag("is_active", IsActive);
        return columns.Checked("rules", Rules, LoyaltyJsonRules.ProgramRules);
    }
}

/// <summary>Fields the back office sets on a reward; conditions replace the whole document.</summary>
public sealed record RewardInput(
    string? Name, string? Description, string? Type, int? PointsRequired, decimal? DiscountValue, string? DiscountType, JsonElement? Conditions, bool? IsActive)
    : IDefinitionInput
{
    private static readonly string[] Types = ["discount", "free_shipping", "free_product", "experience"];
    private static readonly string[] DiscountTypes = ["percentage", "fixed_amount"];

    ColumnBuilder IDefinitionInput.ToColumns(bool creating)
    {
        var columns = new ColumnBuilder(creating)
            .Text("name", "name", Name, 150, required: true)
            .Text("description", "description", Description, 2000)
            .Text("type", "type", Type, 20, required: true, rule: Types.Contains, ruleMessage: "discount, free_shipping, free_product or experience.")
            .Integer("pointsRequired", "points_required", PointsRequired, 1, 10_000_000)
            .Money("discountValue", "discount_value", DiscountValue)
            .Text("discountType", "discount_type", DiscountType, 20, rule: DiscountTypes.Contains, ruleMessage: "percentage or fixed_amount.")
            .Json("conditions", "conditions", Conditions, JsonValueKind.Object)
            .Flag("is_active", IsActive);
        if (creating && PointsRequired is null)
        {
            columns.Error("pointsRequired", "Required.");
        }

        return columns.Checked("conditions", Conditions, LoyaltyJsonRules.RewardConditions);
    }
}

/// <summary>Fields the back office sets on an achievement; criteria replace the whole document.</summary>
public sealed record AchievementInput(string? Name, string? Description, string? Type, JsonElement? Criteria, int? PointsReward, bool? IsActive) : IDefinitionInput
{
    private static readonly string[] Types = ["purchase", "spending", "exploration", "engagement", "learning", "referral"];

    ColumnBuilder IDefinitionInput.ToColumns(bool creating)
    {
        var columns = new ColumnBuilder(creating)
            .Text("name", "name", Name, 150, required: true)
            .Text("description", "description", Description, 2000)
            .Text("type", "type", Type, 20, required: true, rule: Types.Contains, ruleMessage: "purchase, spending, exploration, engagement, learning or referral.")
            .Json("criteria", "criteria", Criteria, JsonValueKind.Object)
            .Integer("pointsReward", "points_reward", PointsReward, 0, 10_000_000)
            .Flag("is_active", IsActive);
        if (creating && Criteria is null)
        {
            columns.Error("criteria", "Required.");
        }

        return columns.Checked("criteria", Criteria, LoyaltyJsonRules.AchievementCriteria);
    }
}

public sealed record AdminLoyaltyProgram(long Id, string Name, string? Description, string Type, JsonElement Rules, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminReward(
    long Id, string Name, string? Description, string Type, int PointsRequired, decimal? DiscountValue, string? DiscountType, JsonElement Conditions,
    bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminAchievement(
    long Id, string Name, string? Description, string Type, JsonElement Criteria, int PointsReward, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A back-office request body that turns into checked column values.</summary>
internal interface IDefinitionInput
{
    ColumnBuilder ToColumns(bool creating);
}

internal static class LoyaltyColumnChecks
{
    /// <summary>Adds the content errors of a JSON document field that is present and of the right kind.</summary>
    public static ColumnBuilder Checked(this ColumnBuilder columns, string field, JsonElement? document, Func<JsonElement, List<string>> check)
    {
        if (document is { ValueKind: JsonValueKind.Object } value && !columns.Errors.ContainsKey(field))
        {
            foreach (var error in check(value))
            {
                columns.Error(field, error);
            }
        }

        return columns;
    }
}
