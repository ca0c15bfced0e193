using MestresCafe.Data.Reporting;
using MestresCafe.Data.Reporting.Generation;
using MestresCafe.Loyalty;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Reporting;

/// <summary>
/// On a generated history (20k orders over 12 months) the planner, left to itself, answers a month
/// of whole days from the rollups, any other month through the created_at indexes, and never
/// scans all orders.
/// </summary>
public sealed class ReportIndexUsageTests(ReportIndexUsageTests.GeneratedHistory history) : IClassFixture<ReportIndexUsageTests.GeneratedHistory>
{
    private readonly TestDatabase _database = history.Database;
    private readonly ReportingDataSource _reports = history.Reports;

    /// <summary>Generated once for the class: the demo catalog and 20k orders.</summary>
    public sealed class GeneratedHistory : IAsyncLifetime
    {
        public TestDatabase Database { get; private set; } = null!;
        public ReportingDataSource Reports { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Database = await TestDatabase.CreateMigratedAsync(nameof(ReportIndexUsageTests));
            await Database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "sql", "seed", "demo.sql")));
            await new SalesHistoryGenerator(Database.DataSource, TextWriter.Null).GenerateAsync(new GenerationPlan(Customers: 2000, Orders: 20_000, Months: 12));
            Reports = new ReportingDataSource(Database.ConnectionString, TimeSpan.FromSeconds(30));
        }

        public async Task DisposeAsync()
        {
            await Reports.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    // Whole business days: the rollups answer, and orders are not read at all.
    [Theory]
    [InlineData("sales", "report_daily_orders")]
    [InlineData("sales-by-payment-method", "report_daily_orders")]
    [InlineData("top-products", "report_daily_products")]
    [InlineData("top-categories", "report_daily_categories")]
    [InlineData("funnel", "report_daily_orders")]
    public async Task A_month_of_whole_days_is_read_from_the_rollups(string report, string rollup)
    {
        var plan = await ExplainAsync(report, LastMonth(atHour: 0));

        Assert.Contains($" on {rollup} ", plan);
        Assert.DoesNotMatch(@" on orders\b", plan);
    }

    // Another zone or a range not on midnight: the base tables, through the created_at indexes.
    [Theory]
    [InlineData("sales")]
    [InlineData("sales-by-payment-method")]
    [InlineData("top-products")]
    [InlineData("top-categories")]
    [InlineData("funnel")]
    [InlineData("customers")]
    [InlineData("customer-rfm")]
    public async Task A_month_of_orders_is_read_through_a_created_at_index(string report)
    {
        var plan = await ExplainAsync(report, LastMonth(atHour: 6));

        Assert.Matches(@"(Index|Index Only|Bitmap Index) Scan (Backward )?(using|on) (idx_orders_date_status|idx_orders_created_report)", plan);
        Assert.DoesNotMatch(@"Seq Scan on orders", plan);
    }

    // The buyers of a range are summed from the covering index alone (the generator vacuums).
    [Theory]
    [InlineData("customers")]
    [InlineData("customer-rfm")]
    public async Task Buyers_of_a_month_are_read_from_the_covering_index(string report)
    {
        var plan = await ExplainAsync(report, LastMonth(atHour: 0));

        Assert.Contains("Index Only Scan using idx_orders_created_report on orders", plan);
        // No search of each buyer's earlier orders: the buyer summary (one row per buyer) answers "returning".
        Assert.DoesNotMatch(@"Seq Scan on orders|idx_orders_user_status", plan);
    }

    [Fact]
    public async Task Lifetime_value_up_to_today_reads_the_top_of_the_buyer_summary()
    {
        var plan = await _reports.ExplainAsync(ReportCatalog.Find("customer-lifetime-value")!, LastMonth(atHour: 0), analyze: true);

        Assert.Contains("Index Scan using idx_report_customer_summary_net on report_customer_summary", plan);
        // The fallback over orders (for ranges that end before the last order) is planned but skipped.
        Assert.All(plan.Split('\n').Where(line => line.Contains("Seq Scan on orders", StringComparison.Ordinal)),
            line => Assert.Contains("(never executed)", line));
    }

    [Fact]
    public async Task Point_flows_of_a_month_are_read_from_the_covering_index()
    {
        var plan = await ExplainAsync("loyalty-points", LastMonth(atHour: 0));

        Assert.Contains("Index Only Scan using idx_loyalty_transactions_created_report", plan);
    }

    [Fact]
    public async Task Coupon_uses_of_a_month_never_scan_all_orders()
    {
        var plan = await ExplainAsync("coupons", LastMonth(atHour: 0));

        Assert.DoesNotMatch(@"Seq Scan on orders", plan);
    }

    private static ReportQuery LastMonth(int atHour)
    {
        var today = DateTime.UtcNow.Date;
        return new ReportQuery(new ReportRange(today.AddDays(-30).AddHours(atHour), today.AddDays(1), ReportRange.DefaultTimeZone));
    }

    private Task<string> ExplainAsync(string report, ReportQuery query) => _reports.ExplainAsync(ReportCatalog.Find(report)!, query);

    [Fact]
    public async Task The_generated_history_is_consistent()
    {
        Assert.Equal(20_000, await _database.ScalarAsync<long>("select count(*) from orders"));
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from orders o where o.subtotal <> (select sum(total_price) from order_items i where i.order_id = o.id)"));
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from orders where paid_at is not null and not exists (select 1 from payments p where p.order_id = orders.id)"));
        Assert.True(await _database.ScalarAsync<long>("select count(distinct date_trunc('month', created_at)) from orders") >= 12);
        // Coupon uses carry their order's discount; loyalty points follow paid orders.
        Assert.True(await _database.ScalarAsync<long>("select count(*) from coupon_usage") > 1000);
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from coupon_usage cu join orders o on o.id = cu.order_id where o.discount_amount <> cu.discount_amount"));
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from orders o where o.discount_amount > 0 and not exists (select 1 from coupon_usage cu where cu.order_id = o.id)"));
        Assert.Equal(0, await _database.ScalarAsync<long>(
            "select count(*) from customer_loyalty cl where cl.points_balance <> (select coalesce(sum(points_change), 0) from loyalty_transactions lt where lt.customer_loyalty_id = cl.id)"));
        Assert.True(await _database.ScalarAsync<long>("select count(distinct tier_level) from customer_loyalty") >= 2);
    }

    // Every generated order's shipping is what checkout would charge for it: the same rule
    // (ShippingPrices), on the method the order records and its merchandise after discount.
    [Fact]
    public async Task Generated_shipping_is_priced_by_the_checkout_rule()
    {
        await using var command = _database.DataSource.CreateCommand("""
            select o.order_number, o.shipping_method, o.subtotal, o.discount_amount, o.shipping_amount, coalesce(c.type = 'free_shipping', false),
                   exists (select 1 from order_items i join products p on p.id = i.product_id where i.order_id = o.id and p.requires_shipping)
            from orders o left join coupon_usage cu on cu.order_id = o.id left join coupons c on c.id = cu.coupon_id
            """);
        var methods = new HashSet<string>();
        var wrong = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (number, method, subtotal, discount, shipping, freeShipping, ships) = (reader.GetString(0), reader.GetString(1),
                reader.GetDecimal(2), reader.GetDecimal(3), reader.GetDecimal(4), reader.GetBoolean(5), reader.GetBoolean(6));
            methods.Add(method);
            // The generator prices history at the default figures. A free-shipping coupon's discount is the shipping it waived, not merchandise.
            var expected = new ShippingPrices().For(method, subtotal - (freeShipping ? 0m : discount), ships);
            if (shipping != expected || (freeShipping && discount != shipping))
            {
                wrong.Add($"{number}: {method} on {subtotal} - {discount} charged {shipping}, the rule says {expected}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} orders, e.g.\n" + string.Join("\n", wrong.Take(5)));
        Assert.Equal(new[] { ShippingMethods.Pac, ShippingMethods.Sedex }, methods.Order(StringComparer.Ordinal));
    }

    // Every paid order earns what the loyalty ledger would credit (LoyaltyEarning): the program's
    // points per real on merchandise after discount, never on shipping; the rest earn nothing.
    [Fact]
    public async Task Generated_points_are_earned_on_merchandise_by_the_loyalty_rule()
    {
        var pointsPerBrl = await _database.ScalarAsync<decimal>("select (rules ->> 'points_per_brl')::numeric from loyalty_programs where is_active order by id limit 1");
        var entryMultiplier = await _database.ScalarAsync<decimal>("select (rules -> 'tiers' -> 0 ->> 'multiplier')::numeric from loyalty_programs where is_active order by id limit 1");
        await using var command = _database.DataSource.CreateCommand("""
            select o.order_number, o.subtotal, o.discount_amount, coalesce(c.type = 'free_shipping', false),
                   (select sum(lt.points_change) from loyalty_transactions lt where lt.reference_id = o.id and lt.transaction_type = 'earn')
            from orders o left join coupon_usage cu on cu.order_id = o.id left join coupons c on c.id = cu.coupon_id
            where o.paid_at is not null
            """);
        var earning = 0;
        var wrong = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (number, subtotal, discount, freeShipping) = (reader.GetString(0), reader.GetDecimal(1), reader.GetDecimal(2), reader.GetBoolean(3));
            var earned = reader.IsDBNull(4) ? 0 : reader.GetInt64(4);
            var expected = LoyaltyEarning.Points(LoyaltyEarning.EarningAmount(subtotal, freeShipping ? 0m : discount), pointsPerBrl, entryMultiplier);
            earning += expected > 0 ? 1 : 0;
            if (earned != expected)
            {
                wrong.Add($"{number}: {subtotal} - {discount} earned {earned}, the rule says {expected}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} orders, e.g.\n" + string.Join("\n", wrong.Take(5)));
        Assert.True(earning > 10_000, $"only {earning} orders earned points");
    }
}
