namespace MestresCafe.Data.Reporting;

/// <summary>
/// The result of one report: named columns and rows of plain values (string, long, decimal, bool
/// or null). Every report is one table so that JSON, CSV and the command line share one shape.
/// </summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>Rows as column-to-value maps, the JSON shape.</summary>
    public IEnumerable<Dictionary<string, object?>> AsObjects() =>
        Rows.Select(row => Columns.Select((column, i) => (column, row[i])).ToDictionary(p => p.column, p => p.Item2));
}
