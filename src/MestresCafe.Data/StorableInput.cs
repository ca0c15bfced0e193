namespace MestresCafe.Data;

/// <summary>
/// What PostgreSQL can store, checked at the edge so that a bad value is a 400 rather than a failed
/// statement: text may not hold NUL (PostgreSQL refuses it in text and jsonb), and dates outside
/// <see cref="MinYear"/>-<see cref="MaxYear"/> are typing mistakes or sentinels such as
/// <see cref="DateTime.MinValue"/>, which overflow <c>timestamptz</c> once a time zone or a day is
/// added to them.
/// </summary>
public static class StorableInput
{
    public const int MinYear = 1900;
    public const int MaxYear = 9999;

    public const string NulMessage = "Text may not contain the NUL character (\\u0000).";

    public static readonly string DateMessage = $"Dates must lie between the years {MinYear} and {MaxYear}.";

    public static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    public static bool IsStorable(DateTime value) => value.Year is >= MinYear and <= MaxYear;

    // Both the wall time and the UTC instant: either may be what a later computation starts from.
    public static bool IsStorable(DateTimeOffset value) => IsStorable(value.DateTime) && IsStorable(value.UtcDateTime);

    public static bool IsStorable(DateOnly value) => value.Year is >= MinYear and <= MaxYear;
}
