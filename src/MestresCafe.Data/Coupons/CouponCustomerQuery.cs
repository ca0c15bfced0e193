using Dapper;
using Npgsql;

namespace MestresCafe.Data.Coupons;

/// <summary>
/// What a coupon's customer conditions ask of the buyer, as the relational side knows it: their
/// active customer groups, whether they proved they hold their e-mail, and whether they have an
/// earlier order that was not cancelled. The coupon grain asks it only for a coupon with such
/// conditions, right before it decides; its own holds and uses cover the orders not yet projected.
/// </summary>
public sealed class CouponCustomerQuery(NpgsqlDataSource dataSource)
{
    public async Task<CouponCustomer> GetAsync(long userId, string exceptOrderNumber, CancellationToken cancellationToken = default)
    {
        const string sql = """
            select exists (select 1 from orders where user_id = @UserId and order_number <> @ExceptOrderNumber and status <> 'cancelled') as has_earlier_order,
                   coalesce((select email_verified_at is not null from users where id = @UserId), false) as is_email_verified,
                   array(select m.group_id
                         from customer_group_members m join customers c on c.id = m.customer_id join customer_groups g on g.id = m.group_id
                         where c.user_id = @UserId and m.is_active and g.is_active and (m.expires_at is null or m.expires_at > now())) as group_ids
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<CouponCustomer>(
            new CommandDefinition(sql, new { UserId = userId, ExceptOrderNumber = exceptOrderNumber }, cancellationToken: cancellationToken));
    }
}

public sealed class CouponCustomer
{
    public bool HasEarlierOrder { get; init; }
    public bool IsEmailVerified { get; init; }
    public long[] GroupIds { get; init; } = [];
}
