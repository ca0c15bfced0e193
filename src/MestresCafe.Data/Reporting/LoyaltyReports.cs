using static MestresCafe.Data.Reporting.ReportSql;

namespace MestresCafe.Data.Reporting;

/// <summary>Loyalty accounts and point flows; both tables may be empty, and the reports then answer zeros.</summary>
internal static class LoyaltyReports
{
    // Tiers in the program's own order (rules.tiers), not alphabetical.
    public static readonly ReportDefinition Tiers = new("loyalty-tiers",
        "Members and outstanding points per tier (now).",
        """
        select t.tier, sum(t.members)::bigint as members,
               sum(t.outstanding)::bigint as points_outstanding, sum(t.earned)::bigint as points_earned_lifetime
        -- Accounts summed per program and tier first: the tier's position is then looked up once per
        -- tier, not once per account.
        from (select cl.program_id, cl.tier_level as tier, count(*) as members,
                     sum(cl.points_balance) as outstanding, sum(cl.points_earned) as earned
              from customer_loyalty cl
              group by cl.program_id, cl.tier_level) t
        join loyalty_programs lp on lp.id = t.program_id
        left join lateral (
            select p.ord from jsonb_array_elements(coalesce(lp.rules -> 'tiers', '[]'::jsonb)) with ordinality p(tier, ord)
            where p.tier ->> 'name' = t.tier) position on true
        group by t.tier
        order by min(position.ord) nulls last, t.tier
        """, UsesRange: false);

    public static readonly ReportDefinition Points = new("loyalty-points",
        "Points earned, redeemed, expired and reversed in the range; members and points outstanding now.",
        $"""
        select coalesce(sum(lt.points_change) filter (where lt.points_change > 0), 0) as points_earned,
               coalesce(-sum(lt.points_change) filter (where lt.transaction_type = 'redeem'), 0) as points_redeemed,
               coalesce(-sum(lt.points_change) filter (where lt.transaction_type = 'expire'), 0) as points_expired,
               coalesce(-sum(lt.points_change) filter (where lt.transaction_type in ('reversal', 'clawback', 'adjust') and lt.points_change < 0), 0) as points_reversed,
               count(distinct lt.customer_loyalty_id) as active_members,
               (select count(*) from customer_loyalty) as members,
               (select coalesce(sum(points_balance), 0) from customer_loyalty) as points_outstanding
        from loyalty_transactions lt
        where {InRange("lt.created_at")}
        """);
}
