using Dapper;
using MestresCafe.Crm;

namespace MestresCafe.Data.Crm;

/// <summary>
/// A segment's criteria as one SQL condition over <c>customers c</c> joined to <c>users u</c>
/// (the rule of <see cref="SegmentCriteria"/>, once): the full recomputation and the incremental
/// one both use it, so they cannot disagree. Values travel as parameters, never as text.
/// </summary>
internal static class SegmentSql
{
    // Orders that count: paid at some time and not wholly refunded; net of what was refunded.
    private const string CountedOrders = "o.user_id = c.user_id and o.paid_at is not null and o.status <> 'refunded'";

    private const string NetTotal =
        """
        o.total_amount - coalesce((select sum(r.amount) from payment_refunds r join payments p on p.id = r.payment_id
                                   where p.order_id = o.id and r.status = 'succeeded'), 0)
        """;

    public static string Condition(SegmentCriteria criteria, DynamicParameters parameters)
    {
        var conditions = new List<string> { "c.is_active" };
        if (criteria.Spent is { } spent)
        {
            conditions.Add(Between(
                $"(select coalesce(sum({NetTotal}), 0) from orders o where {CountedOrders}{Since(spent.Days, "spent", parameters)})",
                spent, "spent", parameters));
        }

        if (criteria.OrderCount is { } count)
        {
            conditions.Add(Between(
                $"(select count(*) from orders o where {CountedOrders}{Since(count.Days, "count", parameters)})",
                count, "count", parameters));
        }

        if (criteria.DaysSinceLastOrder is { } days)
        {
            // No order at all: infinitely long ago, so it passes any min and no max.
            conditions.Add(Between(
                "coalesce(extract(epoch from (@now - (select max(o.paid_at) from orders o where " + CountedOrders + "))) / 86400, 1e9)",
                days, "since", parameters));
        }

        if (criteria.LoyaltyTiers is { } tiers)
        {
            parameters.Add("tiers", tiers.Select(t => t.ToLowerInvariant()).ToArray());
            conditions.Add("exists (select 1 from customer_loyalty l where l.customer_id = c.id and lower(l.tier_level) = any(@tiers))");
        }

        if (criteria.States is { } states)
        {
            parameters.Add("states", states.ToArray());
            conditions.Add($"upper({Located("state")}) = any(@states)");
        }

        if (criteria.Cities is { } cities)
        {
            parameters.Add("cities", cities.Select(t => t.ToLowerInvariant()).ToArray());
            conditions.Add($"lower({Located("city")}) = any(@cities)");
        }

        if (criteria.CategoriesBought is { } categories)
        {
            parameters.Add("categories", categories.ToArray());
            conditions.Add(
                $"""
                exists (select 1 from orders o join order_items i on i.order_id = o.id join products p on p.id = i.product_id
                        where {CountedOrders} and p.category_id = any(@categories))
                """);
        }

        if (criteria.Groups is { } groups)
        {
            parameters.Add("groups", groups.ToArray());
            conditions.Add(
                """
                exists (select 1 from customer_group_members m where m.customer_id = c.id and m.group_id = any(@groups)
                        and m.is_active and (m.expires_at is null or m.expires_at > @now))
                """);
        }

        if (criteria.Newsletter is { } subscribed)
        {
            conditions.Add((subscribed ? "" : "not ")
                + "exists (select 1 from newsletter_subscriptions n where n.email = u.email and n.status = 'subscribed')");
        }

        return string.Join("\n  and ", conditions);
    }

    // Where the customer is: the address on their record, else their latest order's shipping address.
    private static string Located(string field) =>
        $"""
        coalesce(c.shipping_address ->> '{field}', c.billing_address ->> '{field}',
                 (select o.shipping_address ->> '{field}' from orders o where o.user_id = c.user_id order by o.created_at desc limit 1))
        """;

    private static string Since(int? days, string name, DynamicParameters parameters)
    {
        if (days is null)
        {
            return "";
        }

        parameters.Add(name + "Days", days.Value);
        return $" and o.paid_at >= @now - make_interval(days => @{name}Days)";
    }

    private static string Between(string figure, FigureRange range, string name, DynamicParameters parameters)
    {
        var parts = new List<string>();
        if (range.Min is { } min)
        {
            parameters.Add(name + "Min", min);
            parts.Add($"{figure} >= @{name}Min");
        }

        if (range.Max is { } max)
        {
            parameters.Add(name + "Max", max);
            parts.Add($"{figure} <= @{name}Max");
        }

        return "(" + string.Join(" and ", parts) + ")";
    }
}
