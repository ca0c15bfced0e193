using static MestresCafe.Data.Reporting.ReportSql;

namespace MestresCafe.Data.Reporting;

internal static class CouponReports
{
    // A use counts when its order counts as revenue: a use on a cancelled order gave nothing away.
    public static readonly ReportDefinition Performance = new("coupons",
        "Per coupon used in the range: uses, discount given, net revenue of its orders and average order value.",
        $"""
        select c.code, c.type, count(*) as uses, sum(cu.discount_amount) as discount_given,
               sum({NetRevenue}) as net_revenue,
               round(sum({NetRevenue}) / count(*), 2) as average_order_value
        from coupon_usage cu
        join orders o on o.id = cu.order_id
        join coupons c on c.id = cu.coupon_id
        {RefundsJoin}
        where {InRange("o.created_at")} and o.status in {RevenueStatuses}
        group by c.id, c.code, c.type
        order by uses desc, discount_given desc, c.code
        limit $5
        """);
}
