using System.Globalization;

namespace MestresCafe.Customers;

/// <summary>
/// A customer's birth date (the birthday automation's fact): a real calendar date that makes the
/// customer between <see cref="MinimumAge"/> and <see cref="MaximumAge"/> years old on the store's
/// date (São Paulo), so a typo (this year, 1802) is refused rather than greeted.
/// </summary>
public static class BirthDateRules
{
    public const int MinimumAge = 13;
    public const int MaximumAge = 120;

    public const string Format = "yyyy-MM-dd";

    /// <summary>The date in <paramref name="text"/> (yyyy-MM-dd), or null when it is not a real date.</summary>
    public static DateOnly? Parse(string text) =>
        DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>Whole years from <paramref name="birthDate"/> to <paramref name="today"/> (a 29 February birthday comes on the 28th in other years).</summary>
    public static int AgeOn(DateOnly birthDate, DateOnly today)
    {
        var age = today.Year - birthDate.Year;
        return today < birthDate.AddYears(age) ? age - 1 : age;
    }

    /// <summary>Null when the date is acceptable on <paramref name="today"/>; otherwise why not.</summary>
    public static string? Check(DateOnly birthDate, DateOnly today) =>
        AgeOn(birthDate, today) is var age && age is >= MinimumAge and <= MaximumAge
            ? null
            : $"A birth date that makes you {MinimumAge} to {MaximumAge} years old today.";
}
