using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Grains.Tests.Orders;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Projections;

public sealed class DeadLetterClusterFixture : IAsyncLifetime
{
    public const int Bound = 3;

    public PostgresCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await PostgresCluster.StartAsync(
        nameof(DeadLetterTests), silos: 1, settings: new Dictionary<string, string?> { ["Projections:DeadLetterAfterAttempts"] = Bound.ToString() });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// An event the database refuses for good goes to projection_dead_letters after the bounded tries,
/// and the grain's later events are projected; an event refused for a passing reason never does.
/// The refusals come from test-only triggers on this class's own database, keyed by order comment.
/// </summary>
public sealed class DeadLetterTests(DeadLetterClusterFixture fixture) : IClassFixture<DeadLetterClusterFixture>
{
    private PostgresCluster Cluster => fixture.Cluster;
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task A_status_change_the_database_refuses_is_dead_lettered_after_the_bound_and_later_events_are_projected()
    {
        // The processing row of this order's history is refused with a CHECK violation (23514) on every try.
        var (order, number, userId) = await PaidOrderAsync("dead-letter");
        await RefuseProcessingRowAsync(number, "23514");

        await order.StartProcessingAsync(userId);
        await order.ShipAsync("BR123456789", userId);

        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<string>(
                "select status || ':' || (select string_agg(h.status, ',' order by h.id) from order_status_history h where h.order_id = o.id) from orders o where order_number = $1",
                number) == "shipped:pending,awaiting_payment,paid,shipped", TimeSpan.FromSeconds(30)),
            "the events after the refused one were not projected");
        var letter = await Cluster.Database.ScalarAsync<string>(
            "select event_type || ':' || sql_state || ':' || attempts || ':' || (payload->>'to') || ':' || count(*) over () from projection_dead_letters where grain_type = 'OrderGrain' and grain_key = $1",
            number);
        Assert.Equal($"OrderStatusChanged:23514:{DeadLetterClusterFixture.Bound}:processing:1", letter);
    }

    [Fact]
    public async Task A_status_change_refused_for_a_passing_reason_is_retried_past_the_bound_and_never_dead_lettered()
    {
        // A serialization failure (40001) on every try until the test lifts it.
        var (order, number, userId) = await PaidOrderAsync("transient");
        var suffix = await RefuseProcessingRowAsync(number, "40001");

        await order.StartProcessingAsync(userId);
        var triesWanted = DeadLetterClusterFixture.Bound * 2 + 1;
        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<long>($"select last_value from test_tries_{suffix}") >= triesWanted, TimeSpan.FromSeconds(60)),
            "the pump stopped retrying");
        await Cluster.Database.ExecuteAsync($"update test_refusing_{suffix} set refusing = false");

        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<string>("select status from orders where order_number = $1", number) == "processing", TimeSpan.FromSeconds(30)),
            "the event was not projected once the failure passed");
        Assert.Equal(0L, await Cluster.Database.ScalarAsync<long>("select count(*) from projection_dead_letters where grain_key = $1", number));
    }

    private async Task<(IOrderGrain Order, string Number, long UserId)> PaidOrderAsync(string key)
    {
        var sku = await Cluster.NewItemAsync("DL", 10, 30m);
        var userId = await Cluster.Database.InsertUserAsync();
        var order = Client.Order(userId, key);
        var created = (await order.CheckoutAsync(await Checkouts.CommandAsync(Client, userId, key, [new(sku, 1)]))).Order!;
        await order.ApplyPaymentEventAsync(Checkouts.Captured(created));
        var number = created.OrderNumber;
        Assert.True(await Eventually.TrueAsync(async () =>
            await Cluster.Database.ScalarAsync<string>("select status from orders where order_number = $1", number) == "paid", TimeSpan.FromSeconds(10)),
            "the paid order was not projected");
        return (order, number, userId);
    }

    /// <summary>
    /// A trigger that refuses the order's processing history row with the given SQL state while its
    /// flag table says so, counting tries in a sequence (not rolled back with the refused transaction).
    /// </summary>
    private async Task<string> RefuseProcessingRowAsync(string number, string sqlState)
    {
        var suffix = Suffix(number);
        await Cluster.Database.ExecuteAsync(
            $"""
            create sequence test_tries_{suffix};
            create table test_refusing_{suffix} (refusing boolean not null);
            insert into test_refusing_{suffix} values (true);
            create function test_refuse_{suffix}() returns trigger language plpgsql as $$
            begin
                if new.status = 'processing' and new.order_id = (select id from orders where order_number = '{number}')
                   and (select refusing from test_refusing_{suffix}) then
                    perform nextval('test_tries_{suffix}');
                    raise exception 'refused by the test' using errcode = '{sqlState}';
                end if;
                return new;
            end $$;
            create trigger test_refuse_{suffix} before insert on order_status_history for each row execute function test_refuse_{suffix}();
            """);
        return suffix;
    }

    private static string Suffix(string orderNumber) => new(orderNumber.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
}
