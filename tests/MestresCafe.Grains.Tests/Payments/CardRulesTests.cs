using MestresCafe.Payments;

namespace MestresCafe.Grains.Tests.Payments;

/// <summary>Card numbers (check digit, brand), expiry, and the simulated gateway's tokens.</summary>
public sealed class CardRulesTests
{
    [Theory]
    [InlineData("4111111111111111", "visa")]
    [InlineData("5555555555554444", "mastercard")]
    [InlineData("2223003122003222", "mastercard")]
    [InlineData("378282246310005", "amex")]
    [InlineData("6362970000457013", "elo")]
    [InlineData("6062825624254001", "hipercard")]
    public void Test_numbers_of_each_brand_are_valid_and_recognised(string number, string brand)
    {
        Assert.True(CardRules.IsValidNumber(number));
        Assert.Equal(brand, CardRules.BrandOf(number));
    }

    [Theory]
    [InlineData("4111111111111112")] // check digit off by one
    [InlineData("411111111111")]     // too short
    [InlineData("4111-1111-1111-1111")]
    public void Numbers_with_a_wrong_check_digit_or_shape_are_refused(string number) => Assert.False(CardRules.IsValidNumber(number));

    [Fact]
    public void A_card_is_good_through_the_last_day_of_its_expiry_month()
    {
        var lastDay = new DateTimeOffset(2026, 12, 31, 23, 59, 0, TimeSpan.Zero);

        Assert.False(CardRules.IsExpired(12, 2026, lastDay));
        Assert.True(CardRules.IsExpired(12, 2026, lastDay.AddMinutes(1)));
        Assert.True(CardRules.IsExpired(11, 2026, lastDay));
        Assert.False(CardRules.IsExpired(1, 2027, lastDay));
    }

    [Fact]
    public void A_token_tells_its_card_to_the_gateway_that_issued_it_and_to_nobody_else()
    {
        const string secret = "gateway-secret-of-at-least-32-bytes!!";
        var card = new CardTokenDetails("visa", "1111", 12, 2030);

        var token = SimulatedCardTokens.Issue(secret, card);

        Assert.Equal(card, SimulatedCardTokens.Read(secret, token));
        Assert.DoesNotContain("4111", token, StringComparison.Ordinal);
        Assert.NotEqual(token, SimulatedCardTokens.Issue(secret, card));
        Assert.Null(SimulatedCardTokens.Read("another-secret-of-at-least-32-bytes!!", token));
        Assert.Null(SimulatedCardTokens.Read(secret, token[..^2] + (token[^1] == 'A' ? "BB" : "AA")));
        Assert.Null(SimulatedCardTokens.Read(secret, "tok_visa"));
    }
}
