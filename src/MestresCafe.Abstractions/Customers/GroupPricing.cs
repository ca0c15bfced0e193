namespace MestresCafe.Customers;

/// <summary>
/// The price a member of a customer group pays, one rule for the cart and the checkout. The group
/// discount lowers each line's unit price (rounded to the cent, half away from zero, as a price
/// list would print it); a coupon then applies on top, to the lines at their group prices, as
/// stores with customer-group price lists do. A member of several current groups gets the largest
/// discount of them, never their sum.
/// </summary>
public static class GroupPricing
{
    /// <summary>The unit price after a group discount of <paramref name="discountPercentage"/> (0 to 100).</summary>
    public static decimal UnitPrice(decimal catalogPrice, decimal discountPercentage) =>
        discountPercentage <= 0m
            ? catalogPrice
            : Math.Round(catalogPrice * (100m - Math.Min(discountPercentage, 100m)) / 100m, 2, MidpointRounding.AwayFromZero);

    /// <summary>The discount of a member of groups with these percentages: the largest, or none.</summary>
    public static decimal BestOf(IEnumerable<decimal> groupDiscounts) => groupDiscounts.DefaultIfEmpty(0m).Max();
}
