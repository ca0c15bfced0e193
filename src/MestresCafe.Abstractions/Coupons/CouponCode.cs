using System.Text.RegularExpressions;

namespace MestresCafe.Coupons;

/// <summary>Coupon codes are upper case (the grain key and the coupons.code column agree on it).</summary>
public static partial class CouponCode
{
    public const int MaxLength = 50;

    /// <summary>What the customer or the back office typed, trimmed and upper-cased.</summary>
    public static string Normalize(string? code) => (code ?? "").Trim().ToUpperInvariant();

    /// <summary>Whether a normalized code fits the column's check: letters, digits, '-' and '_'.</summary>
    public static bool IsValid(string code) => code.Length is > 0 and <= MaxLength && Pattern().IsMatch(code);

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]*$")]
    private static partial Regex Pattern();
}
