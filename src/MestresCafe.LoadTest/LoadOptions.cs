using System.Globalization;
using MestresCafe.LoadTest.Scenarios;

namespace MestresCafe.LoadTest;

public sealed record LoadOptions(
    string Scenario,
    int Concurrency = 64,
    double DurationSeconds = 10,
    long Count = long.MaxValue,
    int Servers = 1,
    int Buyers = 2000,
    int Stock = 500,
    int Skus = 2,
    int Catalog = 50,
    string? GroupCommit = null,
    int WritesInFlight = 2,
    double? Rate = null,
    double SettleSeconds = 11,
    double IdleSeconds = 5,
    double WarmupSeconds = 0,
    string? JsonPath = null,
    string? Target = null,
    string? Postgres = null,
    string ClusterId = "mestrescafe-local",
    string ServiceId = "mestrescafe")
{
    /// <summary>Base addresses of running servers to drive (<c>--target</c>), or empty: the harness starts its own.</summary>
    public IReadOnlyList<Uri> TargetEndpoints =>
        Target is null ? [] : [.. Target.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => new Uri(t))];

    public Bounds Bounds => new(Concurrency, TimeSpan.FromSeconds(DurationSeconds), Count, Rate, TimeSpan.FromSeconds(SettleSeconds), TimeSpan.FromSeconds(IdleSeconds))
    {
        Warmup = TimeSpan.FromSeconds(WarmupSeconds),
    };

    public static LoadOptions Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new ArgumentException("scenario required: hot-sku, reserve, sql-baseline, flash-sale, checkout-mix, catalog, fault-kill-server, fault-postgres-restart, fault-redis-restart");
        }

        var options = new LoadOptions(args[0]);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--concurrency" => options with { Concurrency = Int() },
                "--duration" => options with { DurationSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--settle" => options with { SettleSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--idle" => options with { IdleSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--warmup" => options with { WarmupSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--count" => options with { Count = long.Parse(value, CultureInfo.InvariantCulture) },
                "--servers" => options with { Servers = Int() },
                "--buyers" => options with { Buyers = Int() },
                "--stock" => options with { Stock = Int() },
                "--skus" => options with { Skus = Int() },
                "--catalog" => options with { Catalog = Int() },
                "--group-commit" => options with { GroupCommit = value },
                "--writes-in-flight" => options with { WritesInFlight = Int() },
                "--json" => options with { JsonPath = value },
                "--target" => options with { Target = value },
                "--postgres" => options with { Postgres = value },
                "--cluster-id" => options with { ClusterId = value },
                "--service-id" => options with { ServiceId = value },
                _ => throw new ArgumentException("unknown option " + args[i]),
            };
        }

        return options;
    }
}
