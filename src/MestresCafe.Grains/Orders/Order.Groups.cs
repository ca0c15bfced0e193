using MestresCafe.Customers;
using MestresCafe.Data.Pricing;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>The buyer's customer groups' conditions (<see cref="GroupConditions"/>), checked before anything is held.</summary>
public sealed partial class Order
{
    /// <summary>Null when every current group admits the order: its merchandise at the group price and its payment method.</summary>
    public static (GroupConditionRefusal Refusal, string Detail)? CheckGroupConditions(
        IReadOnlyList<CurrentGroup> groups, IReadOnlyList<CheckoutLine> lines, IReadOnlyDictionary<string, PricedItem> priced,
        decimal groupDiscountPercentage, PaymentMethodKind method) =>
        groups.Count == 0
            ? null
            : GroupConditions.Check(groups, lines.Sum(l => GroupPricing.UnitPrice(priced[l.Sku].UnitPrice, groupDiscountPercentage) * l.Quantity), method);

    /// <summary>A group's conditions refused the order: kept like any refusal, with which condition.</summary>
    public CheckoutResult RejectOnGroup(CheckoutCommand command, (GroupConditionRefusal Refusal, string Detail) unmet)
    {
        var result = Reject(command, CheckoutOutcome.GroupConditionsRefused, [], unmet.Detail) with { GroupRefusal = unmet.Refusal };
        S.Rejection = result;
        return result;
    }
}
