using System.Text.Json;
using MestresCafe.Data.Reporting;

namespace MestresCafe.Server.Reporting;

/// <summary>
/// <c>server report &lt;name&gt; [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--tz zone] [--group-by day|week|month]
/// [--limit n] [--format csv|json]</c>: the back office reports on stdout, through the same
/// read-only reader as the API, without starting the silo. <c>server report list</c> names them.
/// </summary>
public static class ReportCommand
{
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        if (args.Length == 0 || args[0] is "list" or "--help" or "-h")
        {
            foreach (var definition in ReportCatalog.All)
            {
                Console.WriteLine($"{definition.Name,-26} {definition.Summary}");
            }

            return args.Length == 0 ? 2 : 0;
        }

        if (ReportCatalog.Find(args[0]) is not { } report)
        {
            return Fail($"unknown report '{args[0]}' (try: report list)");
        }

        if (!CommandOptions.TryParse(args[1..], ["--from", "--to", "--tz", "--group-by", "--limit", "--format", "--repeat"], out var options, out var optionError))
        {
            return Fail(optionError);
        }

        var zone = options.GetValueOrDefault("--tz");
        var today = TimeZoneInfo.TryFindSystemTimeZoneById(zone ?? ReportRange.DefaultTimeZone, out var info)
            ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, info)
            : DateTime.UtcNow;
        if (ReportRange.TryParse(options.GetValueOrDefault("--from"), options.GetValueOrDefault("--to"), zone, today, out var error) is not { } range)
        {
            return Fail($"--{error!.Value.Key}: {error.Value.Value}");
        }

        var groupBy = options.GetValueOrDefault("--group-by") ?? "day";
        if (!ReportQuery.Buckets.Contains(groupBy))
        {
            return Fail("--group-by: use day, week or month");
        }

        var limit = 10;
        if (options.GetValueOrDefault("--limit") is { } limitText && (!int.TryParse(limitText, out limit) || limit is < 1 or > ReportQuery.MaxLimit))
        {
            return Fail($"--limit: use 1 to {ReportQuery.MaxLimit}");
        }

        await using var reader = ReportingDataSource.Create(configuration);
        // --repeat n runs the report n more times on the warm pool and reports the median: what
        // the API sees, without the process start and first connection.
        var repeat = int.TryParse(options.GetValueOrDefault("--repeat"), out var r) ? Math.Clamp(r, 0, 100) : 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var table = await reader.RunAsync(report, new ReportQuery(range, groupBy, limit));
        var timings = new List<double> { stopwatch.Elapsed.TotalMilliseconds };
        for (var i = 0; i < repeat; i++)
        {
            stopwatch.Restart();
            await reader.RunAsync(report, new ReportQuery(range, groupBy, limit));
            timings.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        // On stderr, so the timing never ends up in an exported file.
        var warm = repeat > 0 ? timings.Skip(1).Order().ElementAt(repeat / 2) : timings[0];
        Console.Error.WriteLine($"report {report.Name}: {table.Rows.Count} rows, first {timings[0]:F0} ms, median of {repeat} warm runs {warm:F0} ms");
        if (options.GetValueOrDefault("--format") is "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(table.AsObjects(), new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            // CSV by default: the command exists to feed spreadsheets and scripts.
            Console.Out.Write(ReportCsv.Write(table));
        }

        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("report: " + message);
        return 2;
    }
}
