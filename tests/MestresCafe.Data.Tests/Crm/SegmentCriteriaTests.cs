using System.Text.Json;
using MestresCafe.Crm;

namespace MestresCafe.Data.Tests.Crm;

/// <summary>What a segment's criteria accept, and how a wrong one is named.</summary>
public sealed class SegmentCriteriaTests
{
    private static (SegmentCriteria? Criteria, IReadOnlyDictionary<string, string[]> Errors) Parse(string json) =>
        SegmentCriteria.Parse(JsonSerializer.Deserialize<JsonElement>(json));

    [Fact]
    public void Every_criterion_is_read()
    {
        var (criteria, errors) = Parse("""
            {"spent": {"min": 100.5, "max": 900, "days": 90}, "orderCount": {"min": 2}, "daysSinceLastOrder": {"max": 60},
             "loyaltyTiers": ["Ouro"], "states": ["SP"], "cities": ["Campinas"], "categoriesBought": [3], "groups": [7],
             "newsletter": "not_subscribed"}
            """);

        Assert.Empty(errors);
        Assert.Equal(new FigureRange(100.5m, 900m, 90), criteria!.Spent);
        Assert.Equal(new FigureRange(2, null, null), criteria.OrderCount);
        Assert.Equal(new FigureRange(null, 60, null), criteria.DaysSinceLastOrder);
        Assert.Equal(new[] { "Ouro" }, criteria.LoyaltyTiers);
        Assert.Equal(new[] { 3L }, criteria.CategoriesBought);
        Assert.False(criteria.Newsletter);
    }

    [Fact]
    public void An_empty_object_selects_every_active_customer()
    {
        var (criteria, errors) = Parse("{}");

        Assert.Empty(errors);
        Assert.Null(criteria!.Spent);
    }

    [Theory]
    [InlineData("""{"spent": {"min": -1}}""", "criteria.spent.min")]
    [InlineData("""{"spent": {"min": 10, "max": 5}}""", "criteria.spent.max")]
    [InlineData("""{"spent": {}}""", "criteria.spent")]
    [InlineData("""{"orderCount": {"min": 1.5}}""", "criteria.orderCount.min")]
    [InlineData("""{"orderCount": {"min": 1, "days": 0}}""", "criteria.orderCount.days")]
    [InlineData("""{"daysSinceLastOrder": {"min": 1, "days": 30}}""", "criteria.daysSinceLastOrder.days")]
    [InlineData("""{"states": ["SP", "XX"]}""", "criteria.states[1]")]
    [InlineData("""{"states": []}""", "criteria.states")]
    [InlineData("""{"groups": [1, -2]}""", "criteria.groups[1]")]
    [InlineData("""{"categoriesBought": "3"}""", "criteria.categoriesBought")]
    [InlineData("""{"newsletter": true}""", "criteria.newsletter")]
    [InlineData("""{"favouriteColour": "blue"}""", "criteria.favouriteColour")]
    [InlineData("""[1]""", "criteria")]
    public void A_wrong_criterion_is_named_by_its_path(string json, string key)
    {
        var (criteria, errors) = Parse(json);

        Assert.Null(criteria);
        Assert.Equal(key, Assert.Single(errors.Keys));
    }
}
