namespace MestresCafe.Payments;

/// <summary>
/// What a card number says about itself (its check digit and brand) and when a card has expired.
/// The gateway checks a number when it issues a token; the store keeps only brand, last four
/// digits and expiry, and refuses an expired card at checkout.
/// </summary>
public static class CardRules
{
    /// <summary>The brands the simulated gateway issues tokens for; the names the API shows.</summary>
    public static readonly IReadOnlyList<string> Brands = ["visa", "mastercard", "amex", "elo", "hipercard"];

    // Elo and Hipercard ranges overlap Visa's and Mastercard's leading digits: they are tried first.
    private static readonly string[] EloPrefixes =
        ["401178", "401179", "431274", "438935", "451416", "457393", "457631", "457632", "504175", "506699", "5067", "509", "627780", "636297", "636368", "650", "6516", "6550"];

    private static readonly string[] HipercardPrefixes = ["606282", "3841"];

    /// <summary>Luhn's check digit over 13 to 19 digits.</summary>
    public static bool IsValidNumber(string digits)
    {
        if (digits.Length is < 13 or > 19 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                digit = digit > 9 ? digit - 9 : digit;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    /// <summary>The brand by the number's leading digits; null when none of <see cref="Brands"/>.</summary>
    public static string? BrandOf(string digits)
    {
        if (EloPrefixes.Any(digits.StartsWith))
        {
            return "elo";
        }

        if (HipercardPrefixes.Any(digits.StartsWith))
        {
            return "hipercard";
        }

        if (digits.StartsWith('4'))
        {
            return "visa";
        }

        if (digits.StartsWith("34", StringComparison.Ordinal) || digits.StartsWith("37", StringComparison.Ordinal))
        {
            return "amex";
        }

        var first4 = digits.Length >= 4 && int.TryParse(digits.AsSpan(0, 4), out var prefix) ? prefix : 0;
        return first4 is >= 5100 and <= 5599 or >= 2221 and <= 2720 ? "mastercard" : null;
    }

    /// <summary>A card is good through the last day of its expiry month (Brazil's time is not needed: the month ends later there).</summary>
    public static bool IsExpired(int expiryMonth, int expiryYear, DateTimeOffset now) =>
        expiryYear < now.Year || (expiryYear == now.Year && expiryMonth < now.Month);
}
