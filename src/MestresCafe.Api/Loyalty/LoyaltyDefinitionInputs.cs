using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Api.Infrastructure.Validation;
using Microsoft.Extensions.Validation;

namespace MestresCafe.Api.Loyalty;

// The generic back-office endpoints (AdminCrud) take these bodies as a type parameter, which the
// validation generator cannot see through; [ValidatableType] has it generate their checks.
#pragma warning disable ASP0029 // ValidatableType is marked experimental in .NET 10.

/// <summary>Fields the back office sets on a loyalty program; rules replace the whole document.</summary>
[ValidatableType]
public sealed record ProgramInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(100)] string? Name,
    [TrimmedLength(2000)] string? Description,
    [OneOf("points", "tiered", "cashback", Optional = true, ErrorMessage = "points, tiered or cashback.")] string? Type,
    [JsonShape(JsonValueKind.Object)] JsonElement? Rules,
    bool? IsActive) : IDefinitionInput, IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        LoyaltyJsonRules.Problems(nameof(Rules), Rules, LoyaltyJsonRules.ProgramRules);

    ColumnBuilder IDefinitionInput.ToColumns() => new ColumnBuilder()
        .Text("name", Name)
        .Text("description", Description)
        .Text("type", Type)
        .Json("rules", Rules)
        .Flag("is_active", IsActive);
}

/// <summary>Fields the back office sets on a reward; conditions replace the whole document.</summary>
[ValidatableType]
public sealed record RewardInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(150)] string? Name,
    [TrimmedLength(2000)] string? Description,
    [RequiredOnCreate, OneOf("discount", "free_shipping", "free_product", "experience", Optional = true, ErrorMessage = "discount, free_shipping, free_product or experience.")] string? Type,
    [RequiredOnCreate, Range(1, 10_000_000, ErrorMessage = LoyaltyJsonRules.RangeMessage)] int? PointsRequired,
    [Money] decimal? DiscountValue,
    [OneOf("percentage", "fixed_amount", Optional = true, ErrorMessage = "percentage or fixed_amount.")] string? DiscountType,
    [JsonShape(JsonValueKind.Object)] JsonElement? Conditions,
    bool? IsActive) : IDefinitionInput, IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        LoyaltyJsonRules.Problems(nameof(Conditions), Conditions, LoyaltyJsonRules.RewardConditions);

    ColumnBuilder IDefinitionInput.ToColumns() => new ColumnBuilder()
        .Text("name", Name)
        .Text("description", Description)
        .Text("type", Type)
        .Integer("points_required", PointsRequired)
        .Numeric("discount_value", DiscountValue)
        .Text("discount_type", DiscountType)
        .Json("conditions", Conditions)
        .Flag("is_active", IsActive);
}

/// <summary>Fields the back office sets on an achievement; criteria replace the whole document.</summary>
[ValidatableType]
public sealed record AchievementInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(150)] string? Name,
    [TrimmedLength(2000)] string? Description,
    [RequiredOnCreate, OneOf("purchase", "spending", "exploration", "engagement", "learning", "referral", Optional = true,
        ErrorMessage = "purchase, spending, exploration, engagement, learning or referral.")] string? Type,
    [RequiredOnCreate, JsonShape(JsonValueKind.Object)] JsonElement? Criteria,
    [Range(0, 10_000_000, ErrorMessage = LoyaltyJsonRules.RangeMessage)] int? PointsReward,
    bool? IsActive) : IDefinitionInput, IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        LoyaltyJsonRules.Problems(nameof(Criteria), Criteria, LoyaltyJsonRules.AchievementCriteria);

    ColumnBuilder IDefinitionInput.ToColumns() => new ColumnBuilder()
        .Text("name", Name)
        .Text("description", Description)
        .Text("type", Type)
        .Json("criteria", Criteria)
        .Integer("points_reward", PointsReward)
        .Flag("is_active", IsActive);
}

#pragma warning restore ASP0029

public sealed record AdminLoyaltyProgram(long Id, string Name, string? Description, string Type, JsonElement Rules, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminReward(
    long Id, string Name, string? Description, string Type, int PointsRequired, decimal? DiscountValue, string? DiscountType, JsonElement Conditions,
    bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminAchievement(
    long Id, string Name, string? Description, string Type, JsonElement Criteria, int PointsReward, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A back-office request body that maps to column values (its annotations have checked it).</summary>
internal interface IDefinitionInput
{
    ColumnBuilder ToColumns();
}
