using System.Text.Json;
using System.Text.Json.Nodes;
using MestresCafe.Coupons;

namespace MestresCafe.Grains.Coupons;

/// <summary>
/// The coupons.conditions document. The grain writes ids; rows written before the grain (the demo
/// seed) may name categories by slug, which <see cref="CouponProjection"/> resolves on bootstrap.
/// </summary>
public static class CouponConditionsJson
{
    public sealed record Parsed(CouponConditions Conditions, IReadOnlyList<string> CategorySlugs, IReadOnlyList<string> ExcludedCategorySlugs);

    public static string Write(CouponConditions conditions)
    {
        var json = new JsonObject();
        AddList(json, "category_ids", conditions.CategoryIds);
        AddList(json, "product_ids", conditions.ProductIds);
        AddList(json, "exclude_category_ids", conditions.ExcludedCategoryIds);
        AddList(json, "customer_group_ids", conditions.CustomerGroupIds);
        AddList(json, "shipping_methods", conditions.ShippingMethods);
        AddList(json, "states", conditions.ShippingStates);
        AddList(json, "user_ids", conditions.UserIds);
        if (conditions.FirstOrderOnly)
        {
            json["first_order_only"] = true;
        }

        return json.ToJsonString();
    }

    public static Parsed Read(string document)
    {
        using var parsed = JsonDocument.Parse(document);
        var root = parsed.RootElement;
        var conditions = new CouponConditions(
            Longs(root, "category_ids"), Longs(root, "product_ids"),
            root.TryGetProperty("first_order_only", out var first) && first.ValueKind == JsonValueKind.True,
            Longs(root, "customer_group_ids"))
        {
            ExcludedCategoryIds = Longs(root, "exclude_category_ids"),
            ShippingMethods = Strings(root, "shipping_methods"),
            ShippingStates = Strings(root, "states"),
            UserIds = Longs(root, "user_ids"),
        };
        return new Parsed(conditions, Strings(root, "category_slugs"), Strings(root, "exclude_category_slugs"));
    }

    private static void AddList<T>(JsonObject json, string name, IReadOnlyList<T> values)
    {
        if (values.Count > 0)
        {
            json[name] = new JsonArray(values.Select(v => JsonValue.Create(v)).ToArray<JsonNode?>());
        }
    }

    private static List<long> Longs(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt64()).ToList()
            : [];

    private static List<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
