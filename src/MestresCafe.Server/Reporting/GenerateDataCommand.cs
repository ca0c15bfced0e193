using System.Diagnostics;
using MestresCafe.Data.Reporting.Generation;
using Npgsql;

namespace MestresCafe.Server.Reporting;

/// <summary>
/// <c>server generate-data --customers N --orders M [--months 12] [--seed 1]</c>: a realistic sales
/// history written straight into the read-side tables (users, customers, orders, order_items,
/// payments, payment_refunds, order_status_history, coupon_usage, customer_loyalty,
/// loyalty_transactions, shopping_cart; the reporting rollups by trigger) with binary COPY and
/// set-based SQL, for demos and for measuring
/// the reports at size. It needs the catalog (the demo seed) and touches no grain state, so the
/// generated orders are history: closed or far enough along that no grain will act on them.
/// </summary>
public static class GenerateDataCommand
{
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        if (!CommandOptions.TryParse(args, ["--customers", "--orders", "--months", "--seed"], out var options, out var error))
        {
            Console.Error.WriteLine("generate-data: " + error);
            return 2;
        }

        var plan = new GenerationPlan(
            Customers: int.Parse(options.GetValueOrDefault("--customers") ?? "10000", System.Globalization.CultureInfo.InvariantCulture),
            Orders: int.Parse(options.GetValueOrDefault("--orders") ?? "100000", System.Globalization.CultureInfo.InvariantCulture),
            Months: int.Parse(options.GetValueOrDefault("--months") ?? "12", System.Globalization.CultureInfo.InvariantCulture),
            Seed: int.Parse(options.GetValueOrDefault("--seed") ?? "1", System.Globalization.CultureInfo.InvariantCulture));
        if (plan.Customers < 1 || plan.Orders < 0 || plan.Months is < 1 or > 36)
        {
            Console.Error.WriteLine("generate-data: --customers >= 1, --orders >= 0, --months 1..36");
            return 2;
        }

        var connectionString = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var stopwatch = Stopwatch.StartNew();
        var result = await new SalesHistoryGenerator(dataSource, Console.Out).GenerateAsync(plan);
        Console.WriteLine($"generated {result.Customers} customers, {result.Orders} orders, {result.Items} order items, {result.Carts} cart lines in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
