using static MestresCafe.Data.Reporting.ReportSql;

namespace MestresCafe.Data.Reporting;

internal static class FunnelReports
{
    // shopping_cart holds open carts only (a checkout empties its cart), so carts are counted by
    // owner among lines created in the range; a cart is abandoned when idle for 24 hours.
    // Checkouts started = orders created; paid = captured at some point (even if later refunded or
    // cancelled).
    public static readonly ReportDefinition Funnel = new("funnel",
        "Open and abandoned carts, checkouts started, paid, delivered and cancelled orders in the range.",
        $"""
        with carts as (
            select coalesce('u' || sc.user_id::text, 's' || sc.session_id) as cart, max(sc.updated_at) as touched
            from shopping_cart sc
            where {InRange("sc.created_at")}
            group by 1
        ), placed as (
            select o.status, o.paid_at, o.delivered_at
            from orders o
            where {InRange("o.created_at")}
        )
        select v.stage, v.count
        from (values
            (1, 'open_carts', (select count(*) from carts)),
            (2, 'abandoned_carts', (select count(*) from carts where touched < now() - interval '24 hours')),
            (3, 'checkouts_started', (select count(*) from placed)),
            (4, 'paid', (select count(*) from placed where paid_at is not null or status in {RevenueStatuses} or status = 'refunded')),
            (5, 'delivered', (select count(*) from placed where status = 'delivered' or delivered_at is not null)),
            (6, 'cancelled', (select count(*) from placed where status = 'cancelled'))
        ) v(step, stage, count)
        order by v.step
        """);
}
