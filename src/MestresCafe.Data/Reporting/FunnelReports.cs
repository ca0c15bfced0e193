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
        with {Carts}, placed as (
            select o.status, o.paid_at is not null as paid, o.delivered_at is not null as delivered, 1 as orders
            from orders o
            where {InRange("o.created_at")}
        )
        {Stages}
        """,
        DailySql: $"""
        with {Carts}, placed as (
            select d.status, d.paid, d.delivered, d.orders
            from report_daily_orders d
            where {InDays} and d.orders > 0
        )
        {Stages}
        """);

    private const string Carts = $"""
        carts as (
            select coalesce('u' || sc.user_id::text, 's' || sc.session_id) as cart, max(sc.updated_at) as touched
            from shopping_cart sc
            where {CartsInRange}
            group by 1
        )
        """;

    private const string CartsInRange = "sc.created_at >= ($1::timestamp at time zone $3) and sc.created_at < ($2::timestamp at time zone $3)";

    private const string Stages = $"""
        select v.stage, v.count
        from (values
            (1, 'open_carts', (select count(*) from carts)),
            (2, 'abandoned_carts', (select count(*) from carts where touched < now() - interval '24 hours')),
            (3, 'checkouts_started', (select coalesce(sum(orders), 0)::bigint from placed)),
            (4, 'paid', (select coalesce(sum(orders), 0)::bigint from placed where paid or status in {RevenueStatuses} or status = 'refunded')),
            (5, 'delivered', (select coalesce(sum(orders), 0)::bigint from placed where status = 'delivered' or delivered)),
            (6, 'cancelled', (select coalesce(sum(orders), 0)::bigint from placed where status = 'cancelled'))
        ) v(step, stage, count)
        order by v.step
        """;
}
