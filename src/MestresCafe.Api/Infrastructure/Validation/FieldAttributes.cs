using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace MestresCafe.Api.Infrastructure.Validation;

/// <summary>
/// Present but blank (empty or only spaces) is an error; absent passes. For fields a PATCH may
/// leave out but may not clear.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class NotBlankAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => string.IsNullOrWhiteSpace(value) ? "Required." : null;
}

/// <summary>An amount of money as numeric(12,2) holds it: from 0 to <see cref="Max"/>, in whole cents.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class MoneyAttribute : RuleAttribute<decimal>
{
    public const decimal Max = 1_000_000m;

    protected override string? Check(decimal value) =>
        value < 0 || value > Max || decimal.Round(value, 2) != value ? $"From 0 to {Max} with at most 2 decimals." : null;
}

/// <summary>A reference to a row: a positive id (whether the row exists is the foreign key's to say).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class RowIdAttribute : RuleAttribute<long>
{
    protected override string? Check(long value) => value <= 0 ? "Not an id." : null;
}

/// <summary>A JSON document of one kind (object or array) and bounded size; JSON null passes (it changes nothing).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class JsonShapeAttribute(JsonValueKind kind, int maxLength = 20_000) : RuleAttribute<JsonElement>
{
    protected override string? Check(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || value.ValueKind == kind && value.GetRawText().Length <= maxLength
            ? null
            : $"A JSON {(kind == JsonValueKind.Object ? "object" : "array")} of at most {maxLength} characters.";
}

/// <summary>
/// Text checked once trimmed (what is stored): at most <c>maximum</c> characters, then the rule.
/// Blank passes (an optional text is cleared by it; pair with [NotBlank] where it may not be).
/// </summary>
public abstract class TrimmedTextRuleAttribute(int maximum, string message) : RuleAttribute<string>
{
    public int Maximum => maximum;

    protected sealed override string? Check(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed.Length > maximum ? $"At most {maximum} characters." : Matches(trimmed) ? null : message;
    }

    protected abstract bool Matches(string trimmed);
}

/// <summary>
/// A field a create must carry and an update may leave out. Not a validation attribute: the
/// annotations hold on both operations, and <c>AdminCrud</c> checks these on create only.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class RequiredOnCreateAttribute : Attribute;
