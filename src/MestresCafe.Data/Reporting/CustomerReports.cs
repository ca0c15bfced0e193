using static MestresCafe.Data.Reporting.ReportSql;

namespace MestresCafe.Data.Reporting;

/// <summary>Buyers are users with a revenue order; "new" means their first revenue order ever falls in the range.</summary>
internal static class CustomerReports
{
    public static readonly ReportDefinition NewVsReturning = new("customers",
        "Buyers in the range split into new (first purchase in the range) and returning, with their orders and net revenue.",
        $"""
        with buyers as (
            select o.user_id, count(*) as orders, sum({NetRevenue}) as revenue
            from orders o
            {RefundsJoin}
            where {InRange("o.created_at")} and o.status in {RevenueStatuses}
            group by o.user_id
        ), classified as (
            -- The buyer summary (kept with orders) has each buyer's first revenue order ever.
            select b.*, cs.first_order_at < ($1::timestamp at time zone $3) as is_returning
            from buyers b join report_customer_summary cs on cs.user_id = b.user_id
        )
        select s.segment, count(c.user_id) as customers, coalesce(sum(c.orders), 0)::bigint as orders, coalesce(sum(c.revenue), 0) as net_revenue
        from (values (1, 'new', false), (2, 'returning', true)) s(ord, segment, is_returning)
        left join classified c on c.is_returning = s.is_returning
        group by s.ord, s.segment
        order by s.ord
        """);

    public static readonly ReportDefinition LifetimeValue = new("customer-lifetime-value",
        "Top customers by lifetime net revenue up to the end of the range.",
        $"""
        (select cs.user_id, u.email, btrim(u.first_name || ' ' || u.last_name) as name,
                to_char(cs.first_order_at at time zone $3, 'YYYY-MM-DD') as first_order,
                to_char(cs.last_order_at at time zone $3, 'YYYY-MM-DD') as last_order,
                cs.orders, cs.gross - cs.refunds as lifetime_value
         from report_customer_summary cs
         join users u on u.id = cs.user_id
         where not exists ({LaterOrders})
         order by cs.gross - cs.refunds desc, cs.user_id
         limit $5)
        union all
        (select * from (
         select o.user_id, u.email, btrim(u.first_name || ' ' || u.last_name) as name,
                to_char(min(o.created_at at time zone $3), 'YYYY-MM-DD') as first_order,
                to_char(max(o.created_at at time zone $3), 'YYYY-MM-DD') as last_order,
                count(*) as orders, sum({NetRevenue}) as lifetime_value
         from orders o
         join users u on u.id = o.user_id
         {RefundsJoin}
         where o.status in {RevenueStatuses} and o.created_at < ($2::timestamp at time zone $3)
         group by o.user_id, u.email, u.first_name, u.last_name
         order by lifetime_value desc, o.user_id
         limit $5) summed
         -- Above the LIMIT, so that when the summary answers, nothing below starts (not even parallel workers).
         where exists ({LaterOrders}))
        order by lifetime_value desc, user_id
        """);

    // The all-time buyer summary is the lifetime up to the end of the range when no order was placed
    // at or after it (the default range ends today); otherwise the orders before it are summed.
    private const string LaterOrders = "select 1 from orders later where later.created_at >= ($2::timestamp at time zone $3)";

    // Quintile scores over the buyers of the range (5 = most recent / most orders / most spent),
    // then the usual segment names. Recency is measured to the end of the range.
    public static readonly ReportDefinition Rfm = new("customer-rfm",
        "RFM segments of the range's buyers: customers, average recency (days), frequency and monetary value, revenue.",
        $"""
        with base as (
            select o.user_id, max(o.created_at) as last_order, count(*) as frequency, sum({NetRevenue}) as monetary
            from orders o
            {RefundsJoin}
            where {InRange("o.created_at")} and o.status in {RevenueStatuses}
            group by o.user_id
        ), scored as (
            select base.*, ntile(5) over (order by last_order) as r, ntile(5) over (order by frequency) as f
            from base
        ), segmented as (
            select scored.*,
                   case when r >= 4 and f >= 4 then 'champions'
                        when f >= 4 then 'loyal'
                        when r >= 4 and frequency = 1 then 'new'
                        when r >= 4 then 'promising'
                        when r <= 2 and f >= 3 then 'at_risk'
                        when r <= 2 then 'hibernating'
                        else 'needs_attention' end as segment
            from scored
        )
        select segment, count(*) as customers,
               round(avg(extract(epoch from (($2::timestamp at time zone $3) - last_order)) / 86400), 1) as avg_recency_days,
               round(avg(frequency), 2) as avg_frequency,
               round(avg(monetary), 2) as avg_monetary,
               sum(monetary) as net_revenue
        from segmented
        group by segment
        order by net_revenue desc, segment
        """);
}
