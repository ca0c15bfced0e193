using Dapper;
using MestresCafe.Data.Projections;
using Npgsql;
using static MestresCafe.Data.SqlCommands;

namespace MestresCafe.Data.Coupons;

/// <summary>A coupons row as stored (type as its SQL name, conditions as JSON text; timestamps in UTC).</summary>
public sealed record CouponRecord(
    long Id, string Type, decimal Value, decimal MinimumAmount, int? UsageLimit, int UsedCount, DateTime? StartsAt, DateTime? ExpiresAt,
    bool IsActive, string Conditions, int? PerCustomerLimit, string? Description, long StateVersion);

/// <summary>One confirmed use of a coupon (a coupon_usage row with its order's number).</summary>
public sealed record CouponUseRecord(string OrderNumber, long UserId, decimal DiscountAmount, DateTime UsedAt);

/// <summary>The columns of coupons a coupon grain projects; only a newer state version overwrites them.</summary>
public sealed record CouponUpsertRow(
    string Code, string Type, decimal Value, decimal MinimumAmount, int? UsageLimit, int UsedCount, DateTimeOffset? StartsAt,
    DateTimeOffset? ExpiresAt, bool IsActive, string ConditionsJson, int? PerCustomerLimit, string? Description, long StateVersion);

/// <summary>A use confirmed by an order, written once per (coupon, order).</summary>
public sealed record CouponUseRow(string OrderNumber, decimal Discount, DateTimeOffset UsedAt);

/// <summary>
/// Reads the coupons row (and its uses) a coupon grain starts from, and writes its outbox: the
/// coupons row and one coupon_usage row per confirmed use, keyed by (coupon, order) so that a
/// replay inserts nothing. All in one transaction, so used_count and the coupon_usage rows agree.
/// </summary>
public sealed class CouponProjectionStore(NpgsqlDataSource dataSource, ProjectionTransactions transactions)
{
    /// <summary>The coupon and its confirmed uses; null when no row has this code.</summary>
    public async Task<(CouponRecord Coupon, IReadOnlyList<CouponUseRecord> Uses)?> LoadAsync(string code, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var coupon = await connection.QuerySingleOrDefaultAsync<CouponRecord>(new CommandDefinition(
            """
            select id, type, value, minimum_amount, usage_limit, used_count, starts_at, expires_at, is_active,
                   conditions::text as conditions, per_customer_limit, description, state_version
            from coupons where code = @code
            """, new { code }, cancellationToken: cancellationToken));
        if (coupon is null)
        {
            return null;
        }

        var uses = await connection.QueryAsync<CouponUseRecord>(new CommandDefinition(
            """
            select o.order_number, cu.user_id, cu.discount_amount, cu.used_at
            from coupon_usage cu join orders o on o.id = cu.order_id
            where cu.coupon_id = @id
            """, new { id = coupon.Id }, cancellationToken: cancellationToken));
        return (coupon, uses.AsList());
    }

    /// <summary>The ids of the categories with these slugs (a slug no category has is left out).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CategoryIdsAsync(IReadOnlyCollection<string> slugs, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Slug, long Id)>(new CommandDefinition(
            "select slug, id from categories where slug = any(@slugs)", new { slugs = slugs.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Slug, r => r.Id);
    }

    public Task ApplyAsync(CouponUpsertRow coupon, IReadOnlyList<CouponUseRow> uses, CancellationToken cancellationToken) =>
        transactions.RunAsync((connection, transaction, token) => ApplyAsync(coupon, uses, connection, transaction, token), cancellationToken);

    private static async Task ApplyAsync(
        CouponUpsertRow coupon, IReadOnlyList<CouponUseRow> uses, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using (var upsert = new NpgsqlCommand(
            """
            insert into coupons (code, type, value, minimum_amount, usage_limit, used_count, starts_at, expires_at,
                                 is_active, conditions, per_customer_limit, description, state_version)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)
            on conflict (code) do update
            set type = excluded.type, value = excluded.value, minimum_amount = excluded.minimum_amount,
                usage_limit = excluded.usage_limit, used_count = excluded.used_count, starts_at = excluded.starts_at,
                expires_at = excluded.expires_at, is_active = excluded.is_active, conditions = excluded.conditions,
                per_customer_limit = excluded.per_customer_limit, description = excluded.description,
                state_version = excluded.state_version, updated_at = now()
            where coupons.state_version < excluded.state_version
            """, connection, transaction))
        {
            upsert.Parameters.AddPositional(
                coupon.Code, coupon.Type, coupon.Value, coupon.MinimumAmount, coupon.UsageLimit, coupon.UsedCount,
                coupon.StartsAt?.ToUniversalTime(), coupon.ExpiresAt?.ToUniversalTime(), coupon.IsActive,
                coupon.ConditionsJson, coupon.PerCustomerLimit, coupon.Description, coupon.StateVersion);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (uses.Count > 0)
        {
            await InsertUsesAsync(connection, transaction, coupon.Code, uses, cancellationToken);
        }
    }

    private static async Task InsertUsesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string code, IReadOnlyList<CouponUseRow> uses, CancellationToken cancellationToken)
    {
        var orderNumbers = uses.Select(u => u.OrderNumber).ToArray();
        var absent = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            select n from unnest(@orderNumbers::text[]) as n
            where not exists (select 1 from orders o where o.order_number = n)
            """, new { orderNumbers }, transaction, cancellationToken: cancellationToken))).AsList();
        if (absent.Count > 0)
        {
            // The order grain has not projected these orders yet; the pump retries with
            // back-off. Dropping the use instead would leave used_count and coupon_usage apart.
            throw new InvalidOperationException(
                $"Coupon {code}: orders {string.Join(", ", absent.Take(5))} are not in the orders table yet.");
        }

        await using var insert = new NpgsqlCommand(
            """
            insert into coupon_usage (coupon_id, order_id, user_id, discount_amount, used_at)
            select c.id, o.id, o.user_id, u.discount, u.used_at
            from unnest($2::text[], $3::numeric[], $4::timestamptz[]) as u (order_number, discount, used_at)
            join orders o on o.order_number = u.order_number
            cross join (select id from coupons where code = $1) c
            on conflict (coupon_id, order_id) do nothing
            """, connection, transaction);
        insert.Parameters.AddPositional(code, orderNumbers, uses.Select(u => u.Discount).ToArray(), uses.Select(u => u.UsedAt.ToUniversalTime()).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
