using System.Globalization;

namespace MestresCafe.Data.Reporting;

/// <summary>
/// A half-open range [From, To) of wall-clock times in <see cref="TimeZone"/>: "2026-03-01" to
/// "2026-03-02" in America/Sao_Paulo is one Brazilian day, 03:00 UTC to 03:00 UTC. The SQL turns
/// the wall times into instants with <c>at time zone</c>, so PostgreSQL's time zone rules apply.
/// </summary>
public sealed record ReportRange(DateTime From, DateTime To, string TimeZone)
{
    public const string DefaultTimeZone = "America/Sao_Paulo";

    /// <summary>Three years and a leap day: a longer range is a mistake or an unbounded scan.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(3 * 365 + 1);

    /// <summary>
    /// Midnight to midnight in the business time zone: the days the rollups are kept by, so the
    /// rollups answer the range exactly.
    /// </summary>
    public bool IsWholeBusinessDays =>
        TimeZone == DefaultTimeZone && From.TimeOfDay == TimeSpan.Zero && To.TimeOfDay == TimeSpan.Zero;

    private static readonly string[] _formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"];

    /// <summary>Parses and validates; on failure returns null and the error keyed by parameter name.</summary>
    public static ReportRange? TryParse(string? from, string? to, string? timeZone, DateTime today, out KeyValuePair<string, string>? error)
    {
        error = null;
        var zone = string.IsNullOrWhiteSpace(timeZone) ? DefaultTimeZone : timeZone.Trim();
        // Only IANA names: the SQL hands the name to PostgreSQL, which does not know Windows ids.
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var info) || !info.HasIanaId)
        {
            error = new("tz", $"Unknown time zone '{zone}'; use an IANA name such as {DefaultTimeZone}.");
            return null;
        }

        // Defaults: the last 30 days up to and including today.
        var end = today.Date.AddDays(1);
        DateTime fromValue = end.AddDays(-30), toValue = end;
        if (!string.IsNullOrWhiteSpace(from) && !TryParseLocal(from, out fromValue))
        {
            error = new("from", "Use yyyy-MM-dd or yyyy-MM-ddTHH:mm.");
            return null;
        }

        if (!string.IsNullOrWhiteSpace(to) && !TryParseLocal(to, out toValue))
        {
            error = new("to", "Use yyyy-MM-dd or yyyy-MM-ddTHH:mm.");
            return null;
        }

        if (!StorableInput.IsStorable(fromValue) || !StorableInput.IsStorable(toValue))
        {
            error = new(StorableInput.IsStorable(fromValue) ? "to" : "from", StorableInput.DateMessage);
            return null;
        }

        if (fromValue >= toValue)
        {
            error = new("to", "'to' must be after 'from' (the range is [from, to)).");
            return null;
        }

        if (toValue - fromValue > MaxLength)
        {
            error = new("to", "The range may span at most 3 years.");
            return null;
        }

        return new ReportRange(fromValue, toValue, zone);
    }

    private static bool TryParseLocal(string text, out DateTime value) =>
        DateTime.TryParseExact(text.Trim(), _formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
}
