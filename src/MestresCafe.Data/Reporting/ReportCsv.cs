using System.Globalization;
using System.Text;

namespace MestresCafe.Data.Reporting;

/// <summary>
/// RFC 4180 CSV: comma-separated, CRLF lines, fields quoted when they hold a comma, quote or line
/// break. Text cells that a spreadsheet would run as a formula are neutralised (see <see cref="Neutralise"/>).
/// </summary>
public static class ReportCsv
{
    // OWASP's list for CSV injection: a cell starting with one of these is read as a formula (or,
    // for tab and carriage return, lets the next character be).
    private const string FormulaStarts = "=+-@\t\r";

    public static string Write(ReportTable table)
    {
        var csv = new StringBuilder();
        AppendLine(csv, table.Columns.Select(Neutralise));
        foreach (var row in table.Rows)
        {
            AppendLine(csv, row.Select(Format));
        }

        return csv.ToString();
    }

    private static void AppendLine(StringBuilder csv, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                csv.Append(',');
            }

            first = false;
            var value = field;
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(value);
            }
        }

        csv.Append("\r\n");
    }

    /// <summary>
    /// A text cell starting with a formula character gets a leading single quote, which spreadsheets
    /// show as text, as OWASP recommends: product, coupon and customer names typed by anyone reach
    /// this file. Only text is neutralised: numbers are written by <see cref="Format"/> from numeric
    /// values, so a "-12.50" there is a refund or a negative margin, never a formula, and quoting it
    /// would turn it into text that no longer sums.
    /// </summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && FormulaStarts.Contains(text[0], StringComparison.Ordinal) ? "'" + text : text;

    private static string Format(object? value) => value switch
    {
        null => "",
        string text => Neutralise(text),
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
