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
}
