using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace MestresCafe.Api.Loyalty;

/// <summary>
/// Checks the JSON documents the back office writes: loyalty_programs.rules, rewards.conditions and
/// achievements.criteria. The accounts fall back to defaults on anything they cannot read, so a
/// document that would silently mean something else is refused here instead, key by key.
/// </summary>
internal static class LoyaltyJsonRules
{
    /// <summary>[Range]'s message as the back office words it ({1} and {2} are the bounds).</summary>
    public const string RangeMessage = "From {1} to {2}.";

    private static readonly string[] EarnOn = ["paid", "delivered"];

    /// <summary>
    /// The content problems of a document field, each under the field's name; nothing when the field
    /// is absent or not an object (its [JsonShape] says so).
    /// </summary>
    public static IEnumerable<ValidationResult> Problems(string member, JsonElement? document, Func<JsonElement, List<string>> check) =>
        document is { ValueKind: JsonValueKind.Object } value ? check(value).Select(error => new ValidationResult(error, [member])) : [];

    public static List<string> ProgramRules(JsonElement rules)
    {
        var errors = new List<string>();
        foreach (var property in rules.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "points_per_brl":
                    Number(errors, property.Name, value, 0m, 1000m);
                    break;
                case "earn_on":
                    if (value.ValueKind != JsonValueKind.String || !EarnOn.Contains(value.GetString()))
                    {
                        errors.Add("earn_on: \"paid\" or \"delivered\".");
                    }

                    break;
                case "window_months":
                    Integer(errors, property.Name, value, 1, 60);
                    break;
                case "points_expire_months":
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        Integer(errors, property.Name, value, 1, 120);
                    }

                    break;
                case "tiers":
                    Tiers(errors, value);
                    break;
                default:
                    errors.Add($"{property.Name}: not a rule (points_per_brl, earn_on, tiers, window_months, points_expire_months).");
                    break;
            }
        }

        return errors;
    }

    public static List<string> RewardConditions(JsonElement conditions)
    {
        var errors = new List<string>();
        foreach (var property in conditions.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "minimum_amount":
                    Number(errors, property.Name, value, 0m, 1_000_000m);
                    break;
                case "valid_days":
                    Integer(errors, property.Name, value, 1, 3650);
                    break;
                case "quantity":
                    Integer(errors, property.Name, value, 1, 100);
                    break;
                case "sku":
                    Text(errors, property.Name, value, 100);
                    break;
                case "category_slugs" or "shipping_methods" or "tiers":
                    if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || v.GetString()!.Length is 0 or > 100))
                    {
                        errors.Add($"{property.Name}: an array of names.");
                    }

                    break;
                default:
                    errors.Add($"{property.Name}: not a condition (minimum_amount, valid_days, category_slugs, shipping_methods, tiers, sku, quantity).");
                    break;
            }
        }

        return errors;
    }

    public static List<string> AchievementCriteria(JsonElement criteria)
    {
        var errors = new List<string>();
        foreach (var property in criteria.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "metric" or "event" or "attribute":
                    Text(errors, property.Name, value, 100);
                    break;
                case "gte" or "gt":
                    Number(errors, property.Name, value, 0m, 1_000_000_000m);
                    break;
                default:
                    errors.Add($"{property.Name}: not a criterion (metric, gte or gt, event, attribute).");
                    break;
            }
        }

        if (!criteria.TryGetProperty("metric", out _))
        {
            errors.Add("metric: required (e.g. paid_orders, total_spent_brl, distinct_origins, approved_reviews).");
        }

        if (criteria.TryGetProperty("gte", out _) == criteria.TryGetProperty("gt", out _))
        {
            errors.Add("gte or gt: exactly one target.");
        }

        return errors;
    }

    private static void Tiers(List<string> errors, JsonElement tiers)
    {
        if (tiers.ValueKind != JsonValueKind.Array || tiers.GetArrayLength() is 0 or > 10)
        {
            errors.Add("tiers: an array of 1 to 10 tiers.");
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lowest = int.MaxValue;
        foreach (var (tier, i) in tiers.EnumerateArray().Select((t, i) => (t, i)))
        {
            if (tier.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"tiers[{i}]: an object with name, min_points and multiplier.");
                continue;
            }

            if (!tier.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Trim().Length is 0 or > 30)
            {
                errors.Add($"tiers[{i}].name: 1 to 30 characters.");
            }
            else if (!names.Add(name.GetString()!.Trim()))
            {
                errors.Add($"tiers[{i}].name: used twice.");
            }

            if (!tier.TryGetProperty("min_points", out var min) || !min.TryGetInt32(out var points) || points < 0)
            {
                errors.Add($"tiers[{i}].min_points: a whole number from 0.");
            }
            else
            {
                lowest = Math.Min(lowest, points);
            }

            if (tier.TryGetProperty("multiplier", out var multiplier))
            {
                Number(errors, $"tiers[{i}].multiplier", multiplier, 0.01m, 10m);
            }

            errors.AddRange(tier.EnumerateObject().Where(p => p.Name is not ("name" or "min_points" or "multiplier")).Select(p => $"tiers[{i}].{p.Name}: not a tier field."));
        }

        if (lowest != 0 && lowest != int.MaxValue)
        {
            errors.Add("tiers: one tier must start at min_points 0 (where every account starts).");
        }
    }

    private static void Number(List<string> errors, string name, JsonElement value, decimal min, decimal max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number) || number < min || number > max)
        {
            errors.Add($"{name}: a number from {min} to {max}.");
        }
    }

    private static void Integer(List<string> errors, string name, JsonElement value, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            errors.Add($"{name}: a whole number from {min} to {max}.");
        }
    }

    private static void Text(List<string> errors, string name, JsonElement value, int maxLength)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0 || value.GetString()!.Length > maxLength)
        {
            errors.Add($"{name}: a text of 1 to {maxLength} characters.");
        }
    }
}
