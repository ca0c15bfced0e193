using MestresCafe.Data.Reporting;
using MestresCafe.Data.Reporting.Generation;
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
        Assert.Equal(
            await _database.ScalarAsync<long>("select count(*) from orders where paid_at is not null and total_amount >= 1"),
            await _database.ScalarAsync<long>("select count(*) from loyalty_transactions where transaction_type = 'earn'"));
        Assert.Equal(0, await _database.ScalarAsync<long>(
            "select count(*) from customer_loyalty cl where cl.points_balance <> (select coalesce(sum(points_change), 0) from loyalty_transactions lt where lt.customer_loyalty_id = cl.id)"));
        Assert.True(await _database.ScalarAsync<long>("select count(distinct tier_level) from customer_loyalty") >= 2);
    }
}
