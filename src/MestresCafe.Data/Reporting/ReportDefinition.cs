namespace MestresCafe.Data.Reporting;

/// <summary>
/// One report: a name for URLs and the command line, a summary, and its SQL. Every statement gets
/// the same positional parameters: $1 from and $2 to (wall-clock timestamps), $3 the time zone,
/// $4 the bucket (day, week or month) and $5 the row limit; a statement uses those it needs.
/// <see cref="DailySql"/>, when set, answers the same from the daily rollups (migration 0041) and
/// is used for ranges of whole business days (<see cref="ReportRange.IsWholeBusinessDays"/>).
/// </summary>
public sealed record ReportDefinition(string Name, string Summary, string Sql, bool UsesRange = true, string? DailySql = null)
{
    /// <summary>The statement that answers <paramref name="query"/>: the rollup one when the range allows it.</summary>
    public string SqlFor(ReportQuery query) => DailySql is { } daily && query.Range.IsWholeBusinessDays ? daily : Sql;
}
