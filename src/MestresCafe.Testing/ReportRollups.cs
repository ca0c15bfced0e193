namespace MestresCafe.Testing;

/// <summary>
/// The reporting rollups as one comparable text, and the same after a rebuild from the base tables:
/// tests compare what the triggers kept with what <c>report_rollups_rebuild()</c> computes. Rows
/// the triggers leave at zero are left out (a rebuild writes none).
/// </summary>
public static class ReportRollups
{
    public static Task<string> SnapshotAsync(TestDatabase database) => database.ScalarAsync<string>("""
        select concat_ws(E'\n',
            (select string_agg(concat_ws(' ', day, payment_method_id, status, paid, delivered, shard, orders, gross, refunds, discounts, shipping), ';'
                               order by day, payment_method_id, status, paid, delivered, shard)
             from report_daily_orders where (orders, gross, refunds) <> (0, 0, 0)),
            (select string_agg(concat_ws(' ', day, product_id, shard, units, item_revenue, orders), ';' order by day, product_id, shard)
             from report_daily_products where (units, orders) <> (0, 0)),
            (select string_agg(concat_ws(' ', day, category_id, shard, units, item_revenue, orders), ';' order by day, category_id, shard)
             from report_daily_categories where (units, orders) <> (0, 0)),
            (select string_agg(concat_ws(' ', user_id, orders, gross, refunds, first_order_at, last_order_at), ';' order by user_id)
             from report_customer_summary),
            (select string_agg(concat_ws(' ', order_id, amount), ';' order by order_id) from report_order_refunds where amount <> 0))
        """);

    /// <summary>Rebuilds the rollups from the base tables (replacing what the triggers kept) and snapshots them.</summary>
    public static async Task<string> RebuiltSnapshotAsync(TestDatabase database)
    {
        await database.ExecuteAsync("select report_rollups_rebuild()");
        return await SnapshotAsync(database);
    }
}
