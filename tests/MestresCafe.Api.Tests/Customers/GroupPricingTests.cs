using MestresCafe.Customers;

namespace MestresCafe.Api.Tests.Customers;

/// <summary>The group price rule: a percentage off each unit price, rounded to the cent; the best of several groups.</summary>
public sealed class GroupPricingTests
{
    [Theory]
    [InlineData(40.00, 10, 36.00)]
    [InlineData(39.90, 10, 35.91)]
    [InlineData(0.05, 10, 0.05)] // 0.045 rounds half away from zero
    [InlineData(19.99, 7.5, 18.49)] // 18.49075
    [InlineData(25.00, 0, 25.00)]
    [InlineData(25.00, 100, 0.00)]
    public void A_group_discount_lowers_the_unit_price_to_the_cent(decimal catalog, decimal percentage, decimal expected) =>
        Assert.Equal(expected, GroupPricing.UnitPrice(catalog, percentage));

    [Fact]
    public void A_member_of_several_groups_gets_the_largest_discount_not_the_sum()
    {
        Assert.Equal(15m, GroupPricing.BestOf([10m, 15m, 5m]));
        Assert.Equal(0m, GroupPricing.BestOf([]));
    }
}
