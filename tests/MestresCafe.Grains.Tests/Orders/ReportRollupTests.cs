using MestresCafe.Data.Reporting;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>
/// The reporting rollups (migration 0041) are kept by triggers on the tables the order projection
/// writes. After checkouts, payments, a partial and a full refund, cancellations and a failed
/// payment through the real grains, the rollups equal a rebuild from the base tables, and every
/// report with a rollup form answers what its base-table form answers.
/// </summary>
public sealed class ReportRollupTests : IAsyncLifetime
{
    private PostgresCluster _cluster = null!;
    private ReportingDataSource _reports = null!;

    private TestDatabase Database => _cluster.Database;
    private IClusterClient Client => _cluster.Client;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(nameof(ReportRollupTests), silos: 1);
        _reports = new ReportingDataSource(Database.ConnectionString, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _reports.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Rollups_follow_the_order_life_and_match_the_base_tables()
    {
        var coffee = await NewItemAsync(price: 40m);
        var grinder = await NewItemAsync(price: 250m);
        await Database.ExecuteAsync($"""
            insert into categories (name, slug) values ('Rollup Cafés', 'rollup-cafes'), ('Rollup Moedores', 'rollup-moedores');
            update products set category_id = (select id from categories where slug = 'rollup-cafes') where sku = '{coffee}';
            """);
        var (ana, bia, caio) = (await Database.InsertUserAsync(), await Database.InsertUserAsync(), await Database.InsertUserAsync());
        var staff = await Database.InsertUserAsync();

        var delivered = await PaidAsync(ana, "delivered", [new(coffee, 2), new(grinder, 1)]);
        await delivered.ShipAsync("BR000000001", ana);
        await delivered.DeliverAsync(ana);
        var partial = await PaidAsync(ana, "partial", [new(coffee, 3)]);
        Assert.Equal(TransitionOutcome.Done, (await partial.RefundAsync(15m, "customer_request", staff)).Outcome);
        var cancelled = await PaidAsync(bia, "cancelled", [new(grinder, 1)]);
        Assert.Equal(TransitionOutcome.Done, (await cancelled.CancelAsync(bia, "desisti", byCustomer: true, mayRefund: true)).Outcome);
        await Client.Order(bia, "awaiting").CheckoutAsync(await Checkouts.CommandAsync(Client, bia, "awaiting", [new(coffee, 1)], method: PaymentMethodKind.Pix, cardToken: null));
        var failed = Client.Order(caio, "failed");
        var failedOrder = (await failed.CheckoutAsync(await Checkouts.CommandAsync(Client, caio, "failed", [new(coffee, 1)], method: PaymentMethodKind.Pix, cardToken: null))).Order!;
        await failed.ApplyPaymentEventAsync(Checkouts.Failed(failedOrder));
        var refunded = await PaidAsync(caio, "refunded", [new(grinder, 1)]);
        var refundedTotal = (await refunded.GetAsync())!.Totals.Total;
        Assert.Equal(TransitionOutcome.Done, (await refunded.RefundAsync(refundedTotal, "customer_request", staff)).Outcome);
        var paid = await PaidAsync(caio, "paid", [new(coffee, 1), new(grinder, 1)]);
        await WaitForProjectionAsync([(ana, "delivered"), (ana, "partial"), (bia, "cancelled"), (bia, "awaiting"), (caio, "failed"), (caio, "refunded"), (caio, "paid")]);

        // Three revenue orders: delivered, partially refunded (15 back) and paid.
        var (deliveredTotal, partialTotal, paidTotal) = (await TotalAsync(delivered), await TotalAsync(partial), await TotalAsync(paid));
        var range = TodayInBusinessDays();
        var sales = await _reports.RunAsync(ReportCatalog.Find("sales")!, new ReportQuery(range, "month"));
        Assert.Equal(3L, sales.Rows.Sum(r => (long)r[1]!));
        Assert.Equal(deliveredTotal + partialTotal + paidTotal - 15m, sales.Rows.Sum(r => (decimal)r[4]!));

        // A product moved to another category takes its history along.
        await Database.ExecuteAsync($"update products set category_id = (select id from categories where slug = 'rollup-moedores') where sku = '{grinder}'");

        Assert.Equal(await ReportRollups.SnapshotAsync(Database), await ReportRollups.RebuiltSnapshotAsync(Database));
        foreach (var report in ReportCatalog.All.Where(r => r.DailySql is not null))
        {
            var query = new ReportQuery(range, "day", 50);
            var fromRollups = await _reports.RunAsync(report, query);
            var fromOrders = await _reports.RunAsync(report with { DailySql = null }, query);
            Assert.True(fromRollups.Rows.Count > 0, report.Name);
            Assert.Equal(Flatten(fromOrders), Flatten(fromRollups));
        }

        var ltv = await _reports.RunAsync(ReportCatalog.Find("customer-lifetime-value")!, new ReportQuery(range));
        Assert.Equal(
            new[] { (ana, deliveredTotal + partialTotal - 15m), (caio, paidTotal) }.OrderByDescending(x => x.Item2),
            ltv.Rows.Select(r => ((long)r[0]!, (decimal)r[6]!)));
    }

    private static async Task<decimal> TotalAsync(IOrderGrain order) => (await order.GetAsync())!.Totals.Total;

    private async Task<IOrderGrain> PaidAsync(long userId, string key, IReadOnlyList<CheckoutLine> lines)
    {
        var order = Client.Order(userId, key);
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, key, lines))).Order!;
        Assert.Equal(TransitionOutcome.Done, (await order.ApplyPaymentEventAsync(Checkouts.Captured(created))).Outcome);
        return order;
    }

    // The projection runs after the grain's write: wait until every order's row and refunds are there.
    private async Task WaitForProjectionAsync(IReadOnlyList<(long User, string Key)> orders)
    {
        var expected = new List<string>();
        foreach (var (user, key) in orders)
        {
            var snapshot = (await Client.Order(user, key).GetAsync())!;
            expected.Add(FormattableString.Invariant($"{snapshot.OrderNumber}:{snapshot.Status.ToSql()}:{snapshot.Payment?.RefundedAmount ?? 0m:0.00}"));
        }

        const string projected = """
            select coalesce(string_agg(o.order_number || ':' || o.status || ':' || to_char(coalesce(rf.amount, 0), 'FM9999990.00'), ',' order by o.order_number), '')
            from orders o
            left join (select p.order_id, sum(r.amount) as amount from payment_refunds r join payments p on p.id = r.payment_id
                       where r.status = 'succeeded' group by p.order_id) rf on rf.order_id = o.id
            """;
        var want = string.Join(',', expected.Order(StringComparer.Ordinal));
        Assert.True(await Eventually.TrueAsync(async () => await Database.ScalarAsync<string>(projected) == want, TimeSpan.FromSeconds(20)),
            $"the orders were not projected: want {want}, have {await Database.ScalarAsync<string>(projected)}");
    }

    private static ReportRange TodayInBusinessDays()
    {
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(ReportRange.DefaultTimeZone)).Date;
        return new ReportRange(today.AddDays(-1), today.AddDays(2), ReportRange.DefaultTimeZone);
    }

    private static List<string> Flatten(ReportTable table) =>
        table.Rows.Select(r => string.Join('|', r.Select(v => v switch { decimal d => d.ToString("0.00####", System.Globalization.CultureInfo.InvariantCulture), _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) }))).ToList();

    private async Task<string> NewItemAsync(decimal price)
    {
        var sku = "RU-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await Database.InsertItemAsync(sku, 100, price);
        return sku;
    }
}
