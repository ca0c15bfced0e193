using System.Text.Json;
using Dapper;
using Npgsql;

namespace MestresCafe.Data.Customers;

/// <summary>
/// Staff's 360° view of one customer in one round trip: the record, its address book, recent
/// orders and returns, loyalty accounts, recent communications, group memberships, and the
/// lifetime value (what paid orders captured, less what was refunded). Read from the projected
/// tables, so an order placed in the last second may not be counted yet.
/// </summary>
public sealed class CustomerOverviewQuery(NpgsqlDataSource dataSource)
{
    public const int RecentRows = 20;

    /// <summary>The overview as JSON (snake_case), or null when there is no such customer.</summary>
    public async Task<JsonElement?> GetAsync(long customerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JsonElement?>(new CommandDefinition(
            $"""
            select jsonb_build_object(
                'profile', {CustomerStore.ImageColumns},
                'addresses', coalesce((select jsonb_agg(to_jsonb(a) order by a.id) from customer_addresses a where a.customer_id = c.id), '[]'::jsonb),
                'orders', coalesce((
                    select jsonb_agg(o order by o.created_at desc) from (
                        select order_number, status, total_amount, discount_amount, created_at, paid_at
                        from orders where user_id = c.user_id order by created_at desc limit @recent) o), '[]'::jsonb),
                'order_count', (select count(*) from orders where user_id = c.user_id and paid_at is not null),
                'returns', coalesce((
                    select jsonb_agg(r order by r.requested_at desc) from (
                        select o.order_number, r.reason, r.status, r.quantity, r.refund_amount, r.requested_at
                        from returns r join orders o on o.id = r.order_id
                        where o.user_id = c.user_id order by r.requested_at desc limit @recent) r), '[]'::jsonb),
                'loyalty', coalesce((
                    select jsonb_agg(jsonb_build_object('program', p.name, 'points_balance', cl.points_balance, 'points_earned', cl.points_earned,
                                                        'tier_level', cl.tier_level, 'last_activity', cl.last_activity) order by p.id)
                    from customer_loyalty cl join loyalty_programs p on p.id = cl.program_id where cl.customer_id = c.id), '[]'::jsonb),
                'communications', coalesce((
                    select jsonb_agg(m order by m.created_at desc) from (
                        select type, channel, subject, direction, sent_at, read_at, created_at
                        from customer_communications where customer_id = c.id order by created_at desc limit @recent) m), '[]'::jsonb),
                'groups', coalesce((
                    select jsonb_agg(jsonb_build_object('group_id', g.id, 'name', g.name, 'discount_percentage', g.discount_percentage,
                                                        'joined_at', m.joined_at, 'expires_at', m.expires_at,
                                                        'is_current', m.is_active and g.is_active and (m.expires_at is null or m.expires_at > now()))
                                     order by g.name)
                    from customer_group_members m join customer_groups g on g.id = m.group_id where m.customer_id = c.id), '[]'::jsonb),
                'lifetime_value',
                    coalesce((select sum(total_amount) from orders where user_id = c.user_id and paid_at is not null), 0)
                    - coalesce((select sum(pr.amount) from payment_refunds pr join payments pay on pay.id = pr.payment_id join orders o on o.id = pay.order_id
                                where o.user_id = c.user_id and pr.status = 'succeeded'), 0)
            )::text
            from customers c join users u on u.id = c.user_id
            where c.id = @customerId
            """, new { customerId, recent = RecentRows }, cancellationToken: cancellationToken));
    }
}
