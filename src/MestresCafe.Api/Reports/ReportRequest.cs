using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Data.Reporting;

namespace MestresCafe.Api.Reports;

/// <summary>
/// Query string of a report run, bound as text so that a malformed number is a field error, not a
/// binding failure. Checked before the handler runs (AddValidation); <see cref="ToQuery"/> only maps.
/// A class with properties, not a positional record: the OpenAPI generator of .NET 10 fails on
/// annotated constructor parameters bound with [AsParameters] (dotnet/aspnetcore#65348).
/// </summary>
public sealed class ReportRequest : IValidatableObject
{
    public string? From { get; init; }

    public string? To { get; init; }

    public string? Tz { get; init; }

    [ReportBucket]
    public string? GroupBy { get; init; }

    [ReportLimit]
    public string? Limit { get; init; }

    [ReportFormat]
    public string? Format { get; init; }

    private const int DefaultLimit = 10;

    // The range's rules span from, to and tz; ReportRange names the field at fault.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ParseRange(out var error) is null && error is { } e)
        {
            yield return new ValidationResult(e.Value, [e.Key]);
        }
    }

    public ReportQuery ToQuery() =>
        new(ParseRange(out _)!, ReportBucketAttribute.Normalize(GroupBy), string.IsNullOrEmpty(Limit) ? DefaultLimit : ReportLimitAttribute.Parse(Limit)!.Value);

    private ReportRange? ParseRange(out KeyValuePair<string, string>? error) =>
        ReportRange.TryParse(From, To, Tz, LocalToday(Tz), out error);

    // "The last 30 days" ends with today where the reader is, not in UTC.
    private static DateTime LocalToday(string? timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZone) ? ReportRange.DefaultTimeZone : timeZone, out var zone)
            ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone)
            : DateTime.UtcNow;
}

public sealed class ReportBucketAttribute : RuleAttribute<string>
{
    public static string Normalize(string? groupBy) => string.IsNullOrEmpty(groupBy) ? "day" : groupBy.ToLowerInvariant();

    protected override string? Check(string value) => ReportQuery.Buckets.Contains(Normalize(value)) ? null : "Use day, week or month.";
}

public sealed class ReportLimitAttribute : RuleAttribute<string>
{
    public static int? Parse(string limit) =>
        int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= ReportQuery.MaxLimit ? value : null;

    protected override string? Check(string value) =>
        value.Length == 0 || Parse(value) is not null ? null : $"Use a whole number from 1 to {ReportQuery.MaxLimit}.";
}

public sealed class ReportFormatAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => value is "" or "json" or "csv" ? null : "Use json or csv.";
}
