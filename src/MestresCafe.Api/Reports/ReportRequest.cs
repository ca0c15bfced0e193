using System.Globalization;
using MestresCafe.Data.Reporting;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Reports;

/// <summary>Query string to <see cref="ReportQuery"/>, with the validation errors a 400 answers.</summary>
public static class ReportRequest
{
    public static bool TryParse(IQueryCollection query, out ReportQuery result, out Dictionary<string, string[]> errors)
    {
        errors = [];
        result = null!;
        var range = ReportRange.TryParse(query["from"], query["to"], query["tz"], LocalToday(query["tz"]), out var rangeError);
        if (rangeError is { } e)
        {
            errors[e.Key] = [e.Value];
        }

        var groupBy = string.IsNullOrEmpty(query["groupBy"]) ? "day" : query["groupBy"].ToString().ToLowerInvariant();
        if (!ReportQuery.Buckets.Contains(groupBy))
        {
            errors["groupBy"] = ["Use day, week or month."];
        }

        var limit = 10;
        if (!string.IsNullOrEmpty(query["limit"])
            && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ReportQuery.MaxLimit))
        {
            errors["limit"] = [$"Use a whole number from 1 to {ReportQuery.MaxLimit}."];
        }

        var format = query["format"].ToString();
        if (format.Length > 0 && format is not ("json" or "csv"))
        {
            errors["format"] = ["Use json or csv."];
        }

        if (errors.Count > 0)
        {
            return false;
        }

        result = new ReportQuery(range!, groupBy, limit);
        return true;
    }

    // "The last 30 days" ends with today where the reader is, not in UTC.
    private static DateTime LocalToday(string? timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZone) ? ReportRange.DefaultTimeZone : timeZone, out var zone)
            ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone)
            : DateTime.UtcNow;
}
