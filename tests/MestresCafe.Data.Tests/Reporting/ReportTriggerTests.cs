using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Reporting;

/// <summary>
/// The rollup triggers skip the statements that move no rollup (lines of pending orders, order
/// updates that change no reported attribute) and pass on only the columns they read: after each
/// kind of statement on orders and their lines, single- and multi-row, the trigger-kept rollups
/// equal a rebuild from the base tables.
/// </summary>
public sealed class ReportTriggerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(ReportTriggerTests));
        await _database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "sql", "seed", "demo.sql")));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Every_kind_of_order_and_line_statement_keeps_the_rollups_equal_to_a_rebuild()
    {
        await AssertRollupsMatchRebuildAsync("the demo data");
        string[] statements =
        [
            // Three pending orders of two buyers in one statement, then their lines in one statement.
            """
            insert into orders (order_number, user_id, status, subtotal, shipping_amount, discount_amount, total_amount, payment_method_id, billing_address)
            select 'RT-' || n, u.id, 'pending', 100 * n, 10, 5, 100 * n + 5, (select min(id) from payment_methods), '{"city": "São Paulo"}'
            from generate_series(1, 3) n
            join lateral (select id from users order by id offset (n % 2) limit 1) u on true
            """,
            """
            insert into order_items (order_id, product_id, quantity, unit_price, total_price, product_data)
            select o.id, p.id, p.rn, 10, 10 * p.rn, '{"name": "snapshot"}'
            from orders o
            join (select id, row_number() over (order by id) as rn from products order by id limit 2) p on true
            where o.order_number like 'RT-%'
            """,
            // Two of them paid together; a column no rollup reads changes on a paid one.
            "update orders set status = 'paid', paid_at = now() where order_number in ('RT-1', 'RT-2')",
            "update orders set notes = 'ligar antes', tracking_number = 'BR1', updated_at = now() where order_number = 'RT-1'",
            // Lines of a paid order: a quantity changes, a line goes, a line comes; a pending order's line changes.
            "update order_items set quantity = quantity + 1, total_price = total_price + 10 where order_id = (select id from orders where order_number = 'RT-1')",
            "delete from order_items where order_id = (select id from orders where order_number = 'RT-2') and product_id = (select min(id) from products)",
            """
            insert into order_items (order_id, product_id, quantity, unit_price, total_price)
            select (select id from orders where order_number = 'RT-2'), p.id, 4, 25, 100
            from products p order by p.id offset 2 limit 1
            """,
            "update order_items set quantity = 9, total_price = 90 where order_id = (select id from orders where order_number = 'RT-3')",
            // A paid order moves to another day and changes its total; another is cancelled; the third is paid late.
            "update orders set created_at = created_at - interval '2 days', shipping_amount = 20, total_amount = total_amount + 10 where order_number = 'RT-1'",
            "update orders set status = 'cancelled', cancelled_at = now() where order_number = 'RT-2'",
            "update orders set status = 'paid', paid_at = now() where order_number = 'RT-3'",
            // Shipped and delivered in one statement with a no-op row beside them.
            "update orders set status = case when order_number = 'RT-3' then 'delivered' else status end, shipped_at = case when order_number = 'RT-3' then now() else shipped_at end, delivered_at = case when order_number = 'RT-3' then now() else delivered_at end where order_number in ('RT-1', 'RT-3')",
            // A paid order's lines all go at once.
            "delete from order_items where order_id = (select id from orders where order_number = 'RT-3')",
        ];
        foreach (var statement in statements)
        {
            await _database.ExecuteAsync(statement);
            await AssertRollupsMatchRebuildAsync(statement);
        }
    }

    // Rebuilding rewrites the rollups from the base tables, so each statement's change is checked on its own.
    private async Task AssertRollupsMatchRebuildAsync(string after)
    {
        var kept = await ReportRollups.SnapshotAsync(_database);
        var rebuilt = await ReportRollups.RebuiltSnapshotAsync(_database);
        Assert.True(kept == rebuilt, $"after: {after}\nkept:    {kept}\nrebuilt: {rebuilt}");
    }
}
