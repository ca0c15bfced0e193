using System.Text.Json;

namespace MestresCafe.Crm;

/// <summary>A range of a figure; either end may be open.</summary>
public sealed record FigureRange(decimal? Min, decimal? Max, int? Days);

/// <summary>
/// A segment's criteria, read from its JSON object. Every criterion given must hold (AND); one
/// left out does not restrict. Keys (camelCase):
/// <c>spent</c> {min, max, days}: paid orders' total net of refunds, in the last <c>days</c> (all time without);
/// <c>orderCount</c> {min, max, days}: orders paid and not wholly refunded;
/// <c>daysSinceLastOrder</c> {min, max}: since the last such order (a customer without one matches only a min);
/// <c>loyaltyTiers</c> [names]; <c>states</c> [UF]; <c>cities</c> [names];
/// <c>categoriesBought</c> [category ids]: bought a product of one of them in such an order;
/// <c>groups</c> [group ids]: an active, unexpired membership in one of them;
/// <c>newsletter</c> "subscribed" or "not_subscribed".
/// </summary>
public sealed record SegmentCriteria
{
    public FigureRange? Spent { get; init; }
    public FigureRange? OrderCount { get; init; }
    public FigureRange? DaysSinceLastOrder { get; init; }
    public IReadOnlyList<string>? LoyaltyTiers { get; init; }
    public IReadOnlyList<string>? States { get; init; }
    public IReadOnlyList<string>? Cities { get; init; }
    public IReadOnlyList<long>? CategoriesBought { get; init; }
    public IReadOnlyList<long>? Groups { get; init; }
    public bool? Newsletter { get; init; }

    public const string Subscribed = "subscribed";
    public const string NotSubscribed = "not_subscribed";

    private const int MaxListLength = 100;
    private const int MaxDays = 3660;

    private static readonly string[] Keys =
        ["spent", "orderCount", "daysSinceLastOrder", "loyaltyTiers", "states", "cities", "categoriesBought", "groups", "newsletter"];

    private static readonly HashSet<string> Ufs =
        ["AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"];

    /// <summary>
    /// The criteria, or the errors keyed by the JSON path of each wrong criterion
    /// ("criteria.spent.min"), so a 422 says which one to fix.
    /// </summary>
    public static (SegmentCriteria? Criteria, IReadOnlyDictionary<string, string[]> Errors) Parse(JsonElement json)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors["criteria"] = ["An object of criteria."];
            return (null, errors);
        }

        var criteria = new SegmentCriteria();
        foreach (var property in json.EnumerateObject())
        {
            var path = "criteria." + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "spent":
                    criteria = criteria with { Spent = Range(value, path, errors, withDays: true, decimals: true) };
                    break;
                case "orderCount":
                    criteria = criteria with { OrderCount = Range(value, path, errors, withDays: true, decimals: false) };
                    break;
                case "daysSinceLastOrder":
                    criteria = criteria with { DaysSinceLastOrder = Range(value, path, errors, withDays: false, decimals: false) };
                    break;
                case "loyaltyTiers":
                    criteria = criteria with { LoyaltyTiers = Texts(value, path, errors, t => t.Length <= 30 ? null : "At most 30 characters.") };
                    break;
                case "states":
                    criteria = criteria with { States = Texts(value, path, errors, t => Ufs.Contains(t) ? null : "A state's two-letter code (UF).") };
                    break;
                case "cities":
                    criteria = criteria with { Cities = Texts(value, path, errors, t => t.Length <= 100 ? null : "At most 100 characters.") };
                    break;
                case "categoriesBought":
                    criteria = criteria with { CategoriesBought = Ids(value, path, errors) };
                    break;
                case "groups":
                    criteria = criteria with { Groups = Ids(value, path, errors) };
                    break;
                case "newsletter":
                    if (value.ValueKind == JsonValueKind.String && value.GetString() is Subscribed or NotSubscribed)
                    {
                        criteria = criteria with { Newsletter = value.GetString() == Subscribed };
                    }
                    else
                    {
                        errors[path] = [$"\"{Subscribed}\" or \"{NotSubscribed}\"."];
                    }

                    break;
                default:
                    errors[path] = [$"Unknown criterion; one of: {string.Join(", ", Keys)}."];
                    break;
            }
        }

        return errors.Count == 0 ? (criteria, errors) : (null, errors);
    }

    private static FigureRange? Range(JsonElement value, string path, Dictionary<string, string[]> errors, bool withDays, bool decimals)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors[path] = [withDays ? "An object: {min, max, days}." : "An object: {min, max}."];
            return null;
        }

        decimal? min = null, max = null;
        int? days = null;
        var errorsBefore = errors.Count;
        foreach (var field in value.EnumerateObject())
        {
            var at = path + "." + field.Name;
            switch (field.Name)
            {
                case "min" or "max":
                    if (field.Value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetDecimal(out var number) || number < 0
                        || number > 1_000_000_000m || (!decimals && number != decimal.Truncate(number)))
                    {
                        errors[at] = [decimals ? "A number from 0." : "A whole number from 0."];
                        break;
                    }

                    if (field.Name == "min")
                    {
                        min = number;
                    }
                    else
                    {
                        max = number;
                    }

                    break;
                case "days" when withDays:
                    if (field.Value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (!field.Value.TryGetInt32(out var d) || d < 1 || d > MaxDays)
                    {
                        errors[at] = [$"Whole days from 1 to {MaxDays}."];
                        break;
                    }

                    days = d;
                    break;
                default:
                    errors[at] = [withDays ? "Unknown field; min, max or days." : "Unknown field; min or max."];
                    break;
            }
        }

        if (errors.Count > errorsBefore)
        {
            return null; // a field is wrong: that error is the one to fix first
        }

        if (min is null && max is null)
        {
            errors.TryAdd(path, ["Give min, max or both."]);
        }
        else if (min > max)
        {
            errors.TryAdd(path + ".max", ["Not below min."]);
        }

        return new FigureRange(min, max, days);
    }

    private static IReadOnlyList<string>? Texts(JsonElement value, string path, Dictionary<string, string[]> errors, Func<string, string?> rule)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxListLength)
        {
            errors[path] = [$"A list of 1 to {MaxListLength} texts."];
            return null;
        }

        var texts = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : null;
            if (string.IsNullOrEmpty(text) || rule(text) is not null)
            {
                errors[$"{path}[{index}]"] = [text is null or "" ? "A text." : rule(text)!];
            }
            else
            {
                texts.Add(text);
            }

            index++;
        }

        return texts;
    }

    private static IReadOnlyList<long>? Ids(JsonElement value, string path, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxListLength)
        {
            errors[path] = [$"A list of 1 to {MaxListLength} ids."];
            return null;
        }

        var ids = new List<long>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var id) && id > 0)
            {
                ids.Add(id);
            }
            else
            {
                errors[$"{path}[{index}]"] = ["A positive id."];
            }

            index++;
        }

        return ids;
    }
}
