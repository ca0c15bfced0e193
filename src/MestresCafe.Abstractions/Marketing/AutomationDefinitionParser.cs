using System.Text.Json;
using MestresCafe.Coupons;

namespace MestresCafe.Marketing;

/// <summary>
/// Reads an automation from its three stored parts (trigger_type, trigger_conditions, action_sequence),
/// as the back office sends them and as the engine loads them: the definition, or the errors keyed by
/// the JSON path of each wrong part ("actionSequence[1].template"), so a 422 says which one to fix.
/// </summary>
public static class AutomationDefinitionParser
{
    public const int MaxSteps = 20;
    public const int MaxTemplateLength = 100;
    public const int MaxMessageLength = 500;
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(365);

    public static (AutomationDefinition? Definition, IReadOnlyDictionary<string, string[]> Errors) Parse(
        string? triggerType, JsonElement conditions, JsonElement actions)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!SnakeCaseNames.TryParse<AutomationTrigger>(triggerType, out var trigger))
        {
            errors["triggerType"] = [$"One of: {string.Join(", ", Enum.GetValues<AutomationTrigger>().Select(t => t.ToSnakeCase()))}."];
        }

        var parsedConditions = ParseConditions(trigger, conditions, errors, triggerKnown: !errors.ContainsKey("triggerType"));
        var steps = ParseSteps(actions, errors);
        return errors.Count == 0 ? (new AutomationDefinition(trigger, parsedConditions, steps), errors) : (null, errors);
    }

    private static TriggerConditions ParseConditions(AutomationTrigger trigger, JsonElement json, Dictionary<string, string[]> errors, bool triggerKnown)
    {
        var result = new TriggerConditions();
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors["triggerConditions"] = ["An object of conditions."];
            return result;
        }

        foreach (var property in json.EnumerateObject())
        {
            var path = "triggerConditions." + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "idle_hours" when !triggerKnown || trigger == AutomationTrigger.CartAbandoned:
                    result = result with { IdleHours = Whole(value, path, 1, 720, errors) };
                    break;
                case "min_cart_value" when !triggerKnown || trigger == AutomationTrigger.CartAbandoned:
                    result = result with { MinCartValue = Amount(value, path, 0, 1_000_000m, errors) ?? 0 };
                    break;
                case "days" when !triggerKnown || trigger is AutomationTrigger.OrderDelivered or AutomationTrigger.Inactivity:
                    result = result with { Days = Whole(value, path, 1, 3650, errors) };
                    break;
                case "days_before" when !triggerKnown || trigger == AutomationTrigger.Birthday:
                    result = result with { DaysBefore = Whole(value, path, 0, 30, errors) };
                    break;
                case "tier" when !triggerKnown || trigger == AutomationTrigger.LoyaltyTierChanged:
                    result = result with { Tier = Text(value, path, 30, errors) };
                    break;
                case "stop_on_order":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        result = result with { StopOnOrder = value.GetBoolean() };
                    }
                    else
                    {
                        errors[path] = ["true or false."];
                    }

                    break;
                case "conversion_days":
                    result = result with { ConversionDays = Whole(value, path, 1, 90, errors) ?? result.ConversionDays };
                    break;
                default:
                    errors[path] = [$"Not a condition of {trigger.ToSnakeCase()}; it takes: {string.Join(", ", ConditionsOf(trigger))}."];
                    break;
            }
        }

        if (triggerKnown && trigger == AutomationTrigger.CartAbandoned && result.IdleHours is null && !errors.ContainsKey("triggerConditions.idle_hours"))
        {
            errors["triggerConditions.idle_hours"] = ["Required: the hours a cart stays unchanged before it counts as abandoned."];
        }

        if (triggerKnown && trigger is AutomationTrigger.OrderDelivered or AutomationTrigger.Inactivity
            && result.Days is null && !errors.ContainsKey("triggerConditions.days"))
        {
            errors["triggerConditions.days"] = ["Required: the number of days."];
        }

        return result;
    }

    /// <summary>The condition keys a trigger takes, for the error that names an unknown one.</summary>
    public static IReadOnlyList<string> ConditionsOf(AutomationTrigger trigger) => trigger switch
    {
        AutomationTrigger.CartAbandoned => ["idle_hours", "min_cart_value", "stop_on_order", "conversion_days"],
        AutomationTrigger.OrderDelivered or AutomationTrigger.Inactivity => ["days", "stop_on_order", "conversion_days"],
        AutomationTrigger.LoyaltyTierChanged => ["tier", "stop_on_order", "conversion_days"],
        AutomationTrigger.Birthday => ["days_before", "stop_on_order", "conversion_days"],
        _ => ["stop_on_order", "conversion_days"],
    };

    private static List<AutomationStep> ParseSteps(JsonElement json, Dictionary<string, string[]> errors)
    {
        var steps = new List<AutomationStep>();
        if (json.ValueKind != JsonValueKind.Array)
        {
            errors["actionSequence"] = ["An array of steps."];
            return steps;
        }

        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            var path = $"actionSequence[{index++}]";
            if (ParseStep(item, path, errors) is { } step)
            {
                steps.Add(step);
            }
        }

        if (index == 0 || index > MaxSteps)
        {
            errors["actionSequence"] = [$"From 1 to {MaxSteps} steps."];
        }
        else if (steps.Count == index && steps[^1] is WaitStep)
        {
            errors[$"actionSequence[{index - 1}]"] = ["A sequence does not end with a wait."];
        }

        var totalWait = steps.OfType<WaitStep>().Aggregate(TimeSpan.Zero, (sum, w) => sum + w.Duration);
        if (totalWait > MaxWait)
        {
            errors["actionSequence"] = ["The waits add up to more than 365 days."];
        }

        return steps;
    }

    private static AutomationStep? ParseStep(JsonElement item, string path, Dictionary<string, string[]> errors)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("action", out var actionJson) || actionJson.ValueKind != JsonValueKind.String)
        {
            errors[path + ".action"] = [$"Each step is an object with an action: {string.Join(", ", AutomationActions.All)}."];
            return null;
        }

        var action = actionJson.GetString();
        string[] allowed = action switch
        {
            AutomationActions.Wait => ["action", "minutes", "hours", "days"],
            AutomationActions.SendEmail => ["action", "template"],
            AutomationActions.IssueCoupon => ["action", "type", "value", "valid_days", "minimum_amount"],
            AutomationActions.AddToGroup => ["action", "group_id"],
            AutomationActions.NotifyStaff => ["action", "message"],
            _ => [],
        };
        if (allowed.Length == 0)
        {
            errors[path + ".action"] = [$"One of: {string.Join(", ", AutomationActions.All)}."];
            return null;
        }

        var before = errors.Count;
        foreach (var property in item.EnumerateObject().Where(p => !allowed.Contains(p.Name)))
        {
            errors[path + "." + property.Name] = [$"Not a field of {action}; it takes: {string.Join(", ", allowed.Skip(1))}."];
        }

        AutomationStep? step = action switch
        {
            AutomationActions.Wait => Wait(item, path, errors),
            AutomationActions.SendEmail => Text(Field(item, "template"), path + ".template", MaxTemplateLength, errors, required: true) is { } template
                ? new SendEmailStep(template) : null,
            AutomationActions.IssueCoupon => Coupon(item, path, errors),
            AutomationActions.AddToGroup => Whole(Field(item, "group_id"), path + ".group_id", 1, int.MaxValue, errors, required: true) is { } group
                ? new AddToGroupStep(group) : null,
            _ => Text(Field(item, "message"), path + ".message", MaxMessageLength, errors, required: true) is { } message
                ? new NotifyStaffStep(message) : null,
        };
        return errors.Count == before ? step : null;
    }

    private static WaitStep? Wait(JsonElement item, string path, Dictionary<string, string[]> errors)
    {
        var units = new[] { ("minutes", TimeSpan.FromMinutes(1)), ("hours", TimeSpan.FromHours(1)), ("days", TimeSpan.FromDays(1)) }
            .Where(u => item.TryGetProperty(u.Item1, out _)).ToList();
        if (units.Count != 1)
        {
            errors[path] = ["A wait gives exactly one of minutes, hours or days."];
            return null;
        }

        var (name, unit) = units[0];
        return Whole(item.GetProperty(name), $"{path}.{name}", 1, 525_600, errors) is { } count ? new WaitStep(unit * count) : null;
    }

    private static IssueCouponStep? Coupon(JsonElement item, string path, Dictionary<string, string[]> errors)
    {
        var typeName = Text(Field(item, "type"), path + ".type", 20, errors, required: true);
        if (typeName is null)
        {
            return null;
        }

        if (!SnakeCaseNames.TryParse<CouponType>(typeName, out var type))
        {
            errors[path + ".type"] = ["One of: percentage, fixed_amount, free_shipping."];
            return null;
        }

        var value = type == CouponType.FreeShipping
            ? Amount(Field(item, "value"), path + ".value", 0, 10_000m, errors) ?? 0
            : Amount(Field(item, "value"), path + ".value", 0.01m, type == CouponType.Percentage ? 100m : 10_000m, errors, required: true);
        var validDays = Whole(Field(item, "valid_days"), path + ".valid_days", 1, 365, errors, required: true);
        var minimum = Amount(Field(item, "minimum_amount"), path + ".minimum_amount", 0, 1_000_000m, errors) ?? 0;
        return value is { } v && validDays is { } days ? new IssueCouponStep(type, v, days, minimum) : null;
    }

    private static JsonElement Field(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value : default;

    private static int? Whole(JsonElement value, string path, long min, long max, Dictionary<string, string[]> errors, bool required = false)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (required)
            {
                errors[path] = ["Required."];
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= min && number <= max)
        {
            return (int)number;
        }

        errors[path] = [$"A whole number from {min} to {max}."];
        return null;
    }

    private static decimal? Amount(JsonElement value, string path, decimal min, decimal max, Dictionary<string, string[]> errors, bool required = false)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (required)
            {
                errors[path] = ["Required."];
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= min && number <= max
            && decimal.Round(number, 2) == number)
        {
            return number;
        }

        errors[path] = [$"A number from {min} to {max}, with at most two decimals."];
        return null;
    }

    private static string? Text(JsonElement value, string path, int maxLength, Dictionary<string, string[]> errors, bool required = false)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (required)
            {
                errors[path] = ["Required."];
            }

            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(text) || text.Length > maxLength || text.Contains('\0', StringComparison.Ordinal))
        {
            errors[path] = [$"Text of 1 to {maxLength} characters."];
            return null;
        }

        return text;
    }
}
