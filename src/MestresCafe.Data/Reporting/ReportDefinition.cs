namespace MestresCafe.Data.Reporting;

/// <summary>
/// One report: a name for URLs and the command line, a summary, and its SQL. Every statement gets
/// the same positional parameters: $1 from and $2 to (wall-clock timestamps), $3 the time zone,
/// $4 the bucket (day, week or month) and $5 the row limit; a statement uses those it needs.
/// </summary>
public sealed record ReportDefinition(string Name, string Summary, string Sql, bool UsesRange = true);
