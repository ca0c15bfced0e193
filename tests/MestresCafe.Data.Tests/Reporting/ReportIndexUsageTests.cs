using MestresCafe.Data.Reporting;
using MestresCafe.Data.Reporting.Generation;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Reporting;

/// <summary>
/// On a generated history (20k orders over 12 months) the planner, left to itself, reads the
/// orders of a month through the created_at index rather than the whole table.
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

    [Theory]
    [InlineData("sales")]
    [InlineData("sales-by-payment-method")]
    [InlineData("top-products")]
    [InlineData("top-categories")]
    [InlineData("customers")]
    [InlineData("customer-rfm")]
    [InlineData("funnel")]
    public async Task A_month_of_orders_is_read_through_the_created_at_index(string report)
    {
        var today = DateTime.UtcNow.Date;
        var query = new ReportQuery(new ReportRange(today.AddDays(-30), today.AddDays(1), ReportRange.DefaultTimeZone));

        var plan = await _reports.ExplainAsync(ReportCatalog.Find(report)!, query);

        Assert.Matches(@"(Index|Index Only|Bitmap Index) Scan (Backward )?(using|on) idx_orders_date_status", plan);
        // The range's orders (alias o) are never scanned whole. The customers report's look-up of
        // earlier purchases (alias earlier) may be a hash join over all orders: that is its cost.
        Assert.DoesNotMatch(@"Seq Scan on orders o\b", plan);
    }

    [Fact]
    public async Task The_generated_history_is_consistent()
    {
        Assert.Equal(20_000, await _database.ScalarAsync<long>("select count(*) from orders"));
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from orders o where o.subtotal <> (select sum(total_price) from order_items i where i.order_id = o.id)"));
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from orders where paid_at is not null and not exists (select 1 from payments p where p.order_id = orders.id)"));
        Assert.True(await _database.ScalarAsync<long>("select count(distinct date_trunc('month', created_at)) from orders") >= 12);
    }
}
