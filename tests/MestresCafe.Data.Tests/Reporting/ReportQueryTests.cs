using MestresCafe.Data.Reporting;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Reporting;

/// <summary>Each report against <see cref="ReportDataSet"/>, whose figures are worked out by hand there.</summary>
public sealed class ReportQueryTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ReportingDataSource _reports = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(ReportQueryTests));
        await ReportDataSet.InsertAsync(_database);
        _reports = new ReportingDataSource(_database.ConnectionString, TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _reports.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<ReportTable> RunAsync(string report, string from = "2026-03-01", string to = "2026-03-04", string tz = "America/Sao_Paulo", string groupBy = "day", int limit = 10)
    {
        var range = ReportRange.TryParse(from, to, tz, DateTime.UtcNow, out var error) ?? throw new InvalidOperationException(error.ToString());
        return _reports.RunAsync(ReportCatalog.Find(report)!, new ReportQuery(range, groupBy, limit));
    }

    private static object?[] Row(ReportTable table, int index) => table.Rows[index];

    [Fact]
    public async Task Sales_by_day_count_revenue_orders_in_brazilian_days_net_of_refunds()
    {
        var sales = await RunAsync("sales");

        Assert.Equal(["period", "orders", "gross_revenue", "refunds", "net_revenue", "average_order_value", "discounts", "shipping"], sales.Columns);
        Assert.Equal(3, sales.Rows.Count);
        // RPT-2 at 02:00 UTC on 03-02 is 23:00 on 03-01 in São Paulo.
        Assert.Equal(new object?[] { "2026-03-01", 2L, 290m, 0m, 290m, 145.00m, 20m, 10m }, Row(sales, 0));
        Assert.Equal(new object?[] { "2026-03-02", 1L, 250m, 50m, 200m, 200.00m, 0m, 0m }, Row(sales, 1));
        Assert.Equal(new object?[] { "2026-03-03", 0L, 0m, 0m, 0m, 0m, 0m, 0m }, Row(sales, 2));
    }

    [Fact]
    public async Task The_same_range_in_utc_moves_the_late_evening_order_to_the_next_day()
    {
        var sales = await RunAsync("sales", "2026-03-02", "2026-03-03", tz: "UTC");

        var day = Assert.Single(sales.Rows);
        Assert.Equal("2026-03-02", day[0]);
        Assert.Equal(2L, day[1]); // RPT-2 and RPT-3
        Assert.Equal(430m, day[2]);
    }

    [Fact]
    public async Task Sales_by_month_and_week_bucket_in_the_time_zone()
    {
        var months = await RunAsync("sales", "2026-02-01", "2026-04-01", groupBy: "month");
        Assert.Equal(["2026-02-01", "2026-03-01"], months.Rows.Select(r => r[0]));
        Assert.Equal([1L, 3L], months.Rows.Select(r => r[1]));
        Assert.Equal([60m, 490m], months.Rows.Select(r => r[4]));

        // 2026-03-01 is a Sunday: it closes the week of Monday 02-23; 03-02 opens the next one.
        var weeks = await RunAsync("sales", "2026-03-01", "2026-03-08", groupBy: "week");
        Assert.Equal(["2026-02-23", "2026-03-02"], weeks.Rows.Select(r => r[0]));
        Assert.Equal([2L, 1L], weeks.Rows.Select(r => r[1]));
    }

    [Fact]
    public async Task An_empty_range_has_zero_buckets_and_no_rows()
    {
        var sales = await RunAsync("sales", "2025-01-01", "2025-01-02");
        Assert.Equal(new object?[] { "2025-01-01", 0L, 0m, 0m, 0m, 0m, 0m, 0m }, Assert.Single(sales.Rows));
        Assert.Empty((await RunAsync("top-products", "2025-01-01", "2025-01-02")).Rows);
        Assert.Empty((await RunAsync("sales-by-payment-method", "2025-01-01", "2025-01-02")).Rows);
        Assert.Empty((await RunAsync("coupons", "2025-01-01", "2025-01-02")).Rows);
        Assert.Equal([0L, 0L, 0L, 0L, 0L, 0L], (await RunAsync("funnel", "2025-01-01", "2025-01-02")).Rows.Select(r => r[1]));
    }

    [Fact]
    public async Task Sales_by_payment_method_share_net_revenue()
    {
        var methods = await RunAsync("sales-by-payment-method");

        Assert.Equal(new object?[] { "Cartão de crédito", 2L, 380m, 77.55m }, Row(methods, 0));
        Assert.Equal(new object?[] { "Pix", 1L, 110m, 22.45m }, Row(methods, 1));
    }

    [Fact]
    public async Task Top_products_and_categories_rank_by_item_revenue()
    {
        var products = await RunAsync("top-products");
        Assert.Equal(["RPT-MOEDOR", "RPT-CAFE"], products.Rows.Select(r => r[1]));
        Assert.Equal([2L, 3L], products.Rows.Select(r => r[4]));       // units
        Assert.Equal([2L, 2L], products.Rows.Select(r => r[5]));       // orders
        Assert.Equal([400m, 150m], products.Rows.Select(r => r[6]));   // item revenue

        var limited = await RunAsync("top-products", limit: 1);
        Assert.Equal("RPT-MOEDOR", Assert.Single(limited.Rows)[1]);

        var categories = await RunAsync("top-categories");
        Assert.Equal(new object?[] { "Moedores Teste", 2L, 2L, 400m, 72.73m }, Row(categories, 0));
        Assert.Equal(new object?[] { "Cafés Teste", 3L, 2L, 150m, 27.27m }, Row(categories, 1));
    }

    [Fact]
    public async Task Inventory_values_stock_at_cost_and_flags_reorder_points()
    {
        var summary = await RunAsync("inventory-summary");
        // cafe (5 + 1) x 20 + moedor (10 + 0) x 110 = 1220; cafe is at its reorder point (5 <= 5).
        Assert.Equal(new object?[] { 2L, 15L, 1L, 5L, 1220m, 1L }, Assert.Single(summary.Rows));

        var alerts = await RunAsync("stock-alerts");
        Assert.Equal("RPT-CAFE", Assert.Single(alerts.Rows)[0]);

        var items = await RunAsync("inventory");
        Assert.Equal(["RPT-CAFE", "RPT-MOEDOR"], items.Rows.Select(r => r[0]));
        Assert.Equal([120m, 1100m], items.Rows.Select(r => r[8]));
    }

    [Fact]
    public async Task Coupons_count_uses_discount_and_revenue_of_paid_orders()
    {
        var coupons = await RunAsync("coupons");

        Assert.Equal(new object?[] { "TESTE20", "fixed_amount", 1L, 20m, 180m, 180.00m }, Assert.Single(coupons.Rows));
    }

    [Fact]
    public async Task Loyalty_reports_answer_zeros_when_nobody_has_joined()
    {
        Assert.Empty((await RunAsync("loyalty-tiers")).Rows);
        Assert.Equal(new object?[] { 0L, 0L, 0L, 0L, 0L, 0L, 0L }, Assert.Single((await RunAsync("loyalty-points")).Rows));
    }

    [Fact]
    public async Task Customers_split_into_new_and_returning_buyers()
    {
        var customers = await RunAsync("customers");

        // ana buys for the first time (RPT-1, RPT-3: 110 + 200); bia bought in February (RPT-2: 180).
        Assert.Equal(new object?[] { "new", 1L, 2L, 310m }, Row(customers, 0));
        Assert.Equal(new object?[] { "returning", 1L, 1L, 180m }, Row(customers, 1));
    }

    [Fact]
    public async Task Lifetime_value_sums_every_revenue_order_up_to_the_end_of_the_range()
    {
        var ltv = await RunAsync("customer-lifetime-value");

        Assert.Equal(["ana@example.com.br", "bia@example.com.br"], ltv.Rows.Select(r => r[1]));
        Assert.Equal([310m, 240m], ltv.Rows.Select(r => r[6]));
        Assert.Equal(["2026-03-01", "2026-02-20"], ltv.Rows.Select(r => r[3]));
    }

    [Fact]
    public async Task Rfm_segments_cover_every_buyer_of_the_range()
    {
        var rfm = await RunAsync("customer-rfm");

        Assert.Equal(2L, rfm.Rows.Sum(r => (long)r[1]!));
        Assert.Equal(490m, rfm.Rows.Sum(r => (decimal)r[5]!));
    }

    [Fact]
    public async Task Funnel_counts_carts_checkouts_and_outcomes()
    {
        var funnel = await RunAsync("funnel");

        Assert.Equal(["open_carts", "abandoned_carts", "checkouts_started", "paid", "delivered", "cancelled"], funnel.Rows.Select(r => r[0]));
        Assert.Equal([2L, 1L, 5L, 3L, 1L, 1L], funnel.Rows.Select(r => r[1]));
    }

    [Fact]
    public async Task Reports_run_in_a_read_only_transaction()
    {
        var sneaky = new ReportDefinition("sneaky", "writes", "insert into coupons (code, type, value) values ('NOPE', 'fixed_amount', 1) returning id");
        var range = ReportRange.TryParse("2026-03-01", "2026-03-02", null, DateTime.UtcNow, out _)!;

        var failure = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => _reports.RunAsync(sneaky, new ReportQuery(range)));
        Assert.Equal("25006", failure.SqlState); // read_only_sql_transaction
    }
}
