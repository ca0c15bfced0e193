using static MestresCafe.Data.Reporting.ReportSql;

namespace MestresCafe.Data.Reporting;

/// <summary>Sales over time, by payment method and by product and category.</summary>
internal static class SalesReports
{
    // Every bucket of the range appears, with zeros where nothing sold: charts need the gaps.
    public static readonly ReportDefinition ByPeriod = new("sales",
        "Orders, gross and net revenue, refunds, average order value, discounts and shipping by day, week or month.",
        $"""
        with {Buckets}, sales as (
            select {Bucket("o.created_at")} as period, count(*) as orders, sum(o.total_amount) as gross,
                   sum(coalesce(rf.amount, 0)) as refunds, sum(o.discount_amount) as discounts, sum(o.shipping_amount) as shipping
            from orders o
            {RefundsJoin}
            where {InRange("o.created_at")} and o.status in {RevenueStatuses}
            group by 1
        )
        {PeriodColumns}
        """,
        DailySql: $"""
        with {Buckets}, sales as (
            select date_trunc($4, d.day::timestamp) as period, sum(d.orders)::bigint as orders, sum(d.gross) as gross,
                   sum(d.refunds) as refunds, sum(d.discounts) as discounts, sum(d.shipping) as shipping
            from report_daily_orders d
            where {InDays} and d.status in {RevenueStatuses} and d.orders > 0
            group by 1
        )
        {PeriodColumns}
        """);

    private const string Buckets = """
        buckets as (
            select b as period
            from generate_series(date_trunc($4, $1::timestamp), $2::timestamp - interval '1 microsecond', ('1 ' || $4)::interval) b
        )
        """;

    private const string PeriodColumns = """
        select to_char(b.period, 'YYYY-MM-DD') as period,
               coalesce(s.orders, 0) as orders,
               coalesce(s.gross, 0) as gross_revenue,
               coalesce(s.refunds, 0) as refunds,
               coalesce(s.gross - s.refunds, 0) as net_revenue,
               coalesce(round((s.gross - s.refunds) / s.orders, 2), 0) as average_order_value,
               coalesce(s.discounts, 0) as discounts,
               coalesce(s.shipping, 0) as shipping
        from buckets b left join sales s on s.period = b.period
        order by b.period
        """;

    public static readonly ReportDefinition ByPaymentMethod = new("sales-by-payment-method",
        "Orders, net revenue and revenue share by payment method.",
        $"""
        select coalesce(pm.name, 'desconhecido') as payment_method,
               count(*) as orders,
               sum({NetRevenue}) as net_revenue,
               round(100 * sum({NetRevenue}) / nullif(sum(sum({NetRevenue})) over (), 0), 2) as revenue_share_pct
        from orders o
        left join payment_methods pm on pm.id = o.payment_method_id
        {RefundsJoin}
        where {InRange("o.created_at")} and o.status in {RevenueStatuses}
        group by pm.name
        order by net_revenue desc, payment_method
        """,
        DailySql: $"""
        select coalesce(pm.name, 'desconhecido') as payment_method,
               sum(d.orders)::bigint as orders,
               sum(d.gross - d.refunds) as net_revenue,
               round(100 * sum(d.gross - d.refunds) / nullif(sum(sum(d.gross - d.refunds)) over (), 0), 2) as revenue_share_pct
        from report_daily_orders d
        left join payment_methods pm on pm.id = d.payment_method_id
        where {InDays} and d.status in {RevenueStatuses} and d.orders > 0
        group by pm.name
        order by net_revenue desc, payment_method
        """);

    // Item revenue is the lines' total_price: before the order-level discount and without shipping.
    public static readonly ReportDefinition TopProducts = new("top-products",
        "Best-selling products by item revenue (before order discounts), with units and orders.",
        $"""
        select p.id as product_id, p.sku, p.name, c.name as category,
               sum(oi.quantity) as units, count(distinct o.id) as orders, sum(oi.total_price) as item_revenue
        from orders o
        join order_items oi on oi.order_id = o.id
        join products p on p.id = oi.product_id
        left join categories c on c.id = p.category_id
        where {InRange("o.created_at")} and o.status in {RevenueStatuses}
        group by p.id, p.sku, p.name, c.name
        order by item_revenue desc, p.id
        limit $5
        """,
        DailySql: $"""
        select p.id as product_id, p.sku, p.name, c.name as category,
               sum(d.units)::bigint as units, sum(d.orders)::bigint as orders, sum(d.item_revenue) as item_revenue
        from report_daily_products d
        join products p on p.id = d.product_id
        left join categories c on c.id = p.category_id
        where {InDays} and d.orders > 0
        group by p.id, p.sku, p.name, c.name
        order by item_revenue desc, p.id
        limit $5
        """);

    public static readonly ReportDefinition TopCategories = new("top-categories",
        "Sales by category: units, orders, item revenue and share, best first.",
        $"""
        select coalesce(c.name, 'sem categoria') as category,
               sum(oi.quantity) as units, count(distinct o.id) as orders, sum(oi.total_price) as item_revenue,
               round(100 * sum(oi.total_price) / nullif(sum(sum(oi.total_price)) over (), 0), 2) as revenue_share_pct
        from orders o
        join order_items oi on oi.order_id = o.id
        join products p on p.id = oi.product_id
        left join categories c on c.id = p.category_id
        where {InRange("o.created_at")} and o.status in {RevenueStatuses}
        group by c.id, c.name
        order by item_revenue desc, category
        limit $5
        """,
        DailySql: $"""
        select coalesce(c.name, 'sem categoria') as category,
               sum(d.units)::bigint as units, sum(d.orders)::bigint as orders, sum(d.item_revenue) as item_revenue,
               round(100 * sum(d.item_revenue) / nullif(sum(sum(d.item_revenue)) over (), 0), 2) as revenue_share_pct
        from report_daily_categories d
        left join categories c on c.id = d.category_id
        where {InDays} and d.orders > 0
        group by c.id, c.name
        order by item_revenue desc, category
        limit $5
        """);
}
