using MestresCafe.Data.Reporting;

namespace MestresCafe.Data.Tests.Reporting;

public sealed class ReportRangeTests
{
    private static readonly DateTime _today = new(2026, 3, 15, 10, 0, 0);

    [Theory]
    [InlineData("2026-03-02", "2026-03-01", "to")]
    [InlineData("2026-03-01", "2026-03-01", "to")]
    [InlineData("2020-01-01", "2026-01-01", "to")]
    [InlineData("01/03/2026", "2026-03-02", "from")]
    [InlineData("0001-01-01", "0001-01-31", "from")]
    [InlineData("1899-12-01", "1899-12-31", "from")]
    public void Bad_ranges_are_rejected(string from, string to, string field)
    {
        Assert.Null(ReportRange.TryParse(from, to, null, _today, out var error));
        Assert.Equal(field, error!.Value.Key);
    }

    [Fact]
    public void Unknown_time_zones_are_rejected()
    {
        Assert.Null(ReportRange.TryParse("2026-03-01", "2026-03-02", "Mars/Olympus_Mons", _today, out var error));
        Assert.Equal("tz", error!.Value.Key);
    }

    [Fact]
    public void Defaults_are_the_last_30_days_in_sao_paulo()
    {
        var range = ReportRange.TryParse(null, null, null, _today, out _)!;

        Assert.Equal(new DateTime(2026, 2, 14), range.From);
        Assert.Equal(new DateTime(2026, 3, 16), range.To);
        Assert.Equal("America/Sao_Paulo", range.TimeZone);
    }

    [Fact]
    public void Csv_quotes_fields_that_need_it_and_defuses_formulas()
    {
        var table = new ReportTable(["name", "value"], [["Café, \"especial\"", 1.5m], ["=HYPERLINK(1)", null], ["linha\nnova", -2m]]);

        Assert.Equal("name,value\r\n\"Café, \"\"especial\"\"\",1.5\r\n'=HYPERLINK(1),\r\n\"linha\nnova\",-2\r\n", ReportCsv.Write(table));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x.example\",\"clique\")", "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"clique\"\")\"")]
    [InlineData("+55 11 4000-0000", "'+55 11 4000-0000")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("Café = bom", "Café = bom")]
    public void Csv_text_cells_that_start_a_formula_are_neutralised(string name, string expected)
    {
        var table = new ReportTable(["name"], [[name]]);

        Assert.Equal("name\r\n" + expected + "\r\n", ReportCsv.Write(table));
    }

    [Fact]
    public void Csv_numbers_stay_numbers_even_when_negative()
    {
        var table = new ReportTable(["margin", "units"], [[-12.50m, -3L]]);

        Assert.Equal("margin,units\r\n-12.50,-3\r\n", ReportCsv.Write(table));
    }
}
