using System.Globalization;
using System.Text;

namespace MestresCafe.Data.Reporting;

/// <summary>RFC 4180 CSV: comma-separated, CRLF lines, fields quoted when they hold a comma, quote or line break.</summary>
public static class ReportCsv
{
    public static string Write(ReportTable table)
    {
        var csv = new StringBuilder();
        AppendLine(csv, table.Columns);
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
            // A leading =, + or @ would run as a formula in a spreadsheet (a product name typed in the
            // back office reaches this file); '-' is left alone because negative numbers start with it.
            var value = field.Length > 0 && "=+@".Contains(field[0]) ? "'" + field : field;
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

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
