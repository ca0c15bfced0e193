using System.Globalization;
using System.Text.Json;
using MestresCafe.Orders;

namespace MestresCafe.Customers;

/// <summary>Why a customer group's conditions refuse an order.</summary>
[GenerateSerializer, Alias("mc.GroupConditionRefusal")]
public enum GroupConditionRefusal
{
    /// <summary>The merchandise (at the group's prices) is below the group's minimum order.</summary>
    BelowMinimumOrder = 0,
    /// <summary>The group restricts its members' payment methods and this is not one of them.</summary>
    PaymentMethodNotAllowed = 1,
}

/// <summary>A current membership as checkout reads it: the group's name, discount and conditions (jsonb).</summary>
public sealed record CurrentGroup(long Id, string Name, decimal DiscountPercentage, JsonElement Conditions);

/// <summary>
/// The conditions a customer group's members buy under, kept in <c>customer_groups.conditions</c>
/// (a JSON object). Two are enforced at checkout: <c>minimumOrderAmount</c> (the merchandise at the
/// group's prices, before coupon and shipping, must reach it) and <c>paymentMethods</c> (the methods
/// the members may pay with, e.g. <c>["invoice", "pix"]</c>). Every current group's conditions
/// hold together: the highest minimum, and only the methods every restricting group allows. Other
/// keys (a note for staff) are kept and not enforced. One rule for the back office's validation
/// and the order grain's check.
/// </summary>
public static class GroupConditions
{
    public const string MinimumOrderAmount = "minimumOrderAmount";
    public const string PaymentMethods = "paymentMethods";

    /// <summary>Errors by JSON key (<c>conditions.minimumOrderAmount</c>), or null when the enforced keys are well formed.</summary>
    public static Dictionary<string, string[]>? Validate(JsonElement conditions)
    {
        if (conditions.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var errors = new Dictionary<string, string[]>();
        if (conditions.TryGetProperty(MinimumOrderAmount, out var minimum)
            && !(minimum.ValueKind == JsonValueKind.Number && minimum.TryGetDecimal(out var amount) && amount >= 0m && decimal.Round(amount, 2) == amount))
        {
            errors["conditions." + MinimumOrderAmount] = ["An amount in reais, zero or more, in cents."];
        }

        if (conditions.TryGetProperty(PaymentMethods, out var methods)
            && !(methods.ValueKind == JsonValueKind.Array && methods.GetArrayLength() > 0
                 && methods.EnumerateArray().All(m => m.ValueKind == JsonValueKind.String && SnakeCaseNames.TryParse<PaymentMethodKind>(m.GetString(), out _))))
        {
            errors["conditions." + PaymentMethods] = [$"A non-empty list of: {SnakeCaseNames.Choices<PaymentMethodKind>()}."];
        }

        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Null when every current group's conditions admit the order, else the first refusal and what to tell the buyer.</summary>
    public static (GroupConditionRefusal Refusal, string Detail)? Check(IEnumerable<CurrentGroup> groups, decimal merchandise, PaymentMethodKind method)
    {
        foreach (var group in groups.OrderBy(g => g.Id))
        {
            if (Minimum(group.Conditions) is { } minimum && merchandise < minimum)
            {
                return (GroupConditionRefusal.BelowMinimumOrder, string.Create(CultureInfo.InvariantCulture,
                    $"Members of \"{group.Name}\" order at least R$ {minimum:0.00} of merchandise (at the group's prices); this order has R$ {merchandise:0.00}."));
            }

            if (Methods(group.Conditions) is { } allowed && !allowed.Contains(method))
            {
                return (GroupConditionRefusal.PaymentMethodNotAllowed,
                    $"Members of \"{group.Name}\" pay with {string.Join(", ", allowed.Select(m => m.ToSnakeCase()))}.");
            }
        }

        return null;
    }

    private static decimal? Minimum(JsonElement conditions) =>
        conditions.ValueKind == JsonValueKind.Object && conditions.TryGetProperty(MinimumOrderAmount, out var value)
        && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var amount)
            ? amount
            : null;

    private static List<PaymentMethodKind>? Methods(JsonElement conditions) =>
        conditions.ValueKind == JsonValueKind.Object && conditions.TryGetProperty(PaymentMethods, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
                .Select(m => SnakeCaseNames.TryParse<PaymentMethodKind>(m.ValueKind == JsonValueKind.String ? m.GetString() : null, out var kind) ? kind : (PaymentMethodKind?)null)
                .OfType<PaymentMethodKind>().ToList()
            : null;
}
