namespace MestresCafe.Data.Reporting;

/// <summary>What a caller asks of a report: the range and, where the report uses them, the bucket and the row limit.</summary>
public sealed record ReportQuery(ReportRange Range, string GroupBy = "day", int Limit = 10)
{
    public static readonly IReadOnlySet<string> Buckets = new HashSet<string>(StringComparer.Ordinal) { "day", "week", "month" };

    public const int MaxLimit = 1000;
}
