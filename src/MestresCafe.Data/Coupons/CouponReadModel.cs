using System.Text.Json;
using Dapper;
using MestresCafe.Coupons;
using Npgsql;

namespace MestresCafe.Data.Coupons;

/// <summary>What coupon_usage records for a coupon (it trails the grain by the projection lag).</summary>
public sealed record CouponUsageSummary(long Uses, long Customers, decimal TotalDiscount, DateTimeOffset? LastUsedAt);

/// <summary>A coupons row; <see cref="Conditions"/> is the stored conditions document.</summary>
public sealed record CouponListItem(
    long Id,
    string Code,
    string Type,
    decimal Value,
    decimal MinimumAmount,
    int? UsageLimit,
    int UsedCount,
    int? PerCustomerLimit,
    DateTimeOffset? StartsAt,
    DateTimeOffset? ExpiresAt,
    bool IsActive,
    string? Description,
    JsonElement Conditions,
    DateTimeOffset UpdatedAt);

public sealed record CouponPage(IReadOnlyList<CouponListItem> Items, int Page, int PageSize, long Total);

public sealed record CouponUsageItem(
    string OrderNumber,
    string OrderStatus,
    decimal OrderTotal,
    long UserId,
    string Email,
    string Name,
    decimal DiscountAmount,
    DateTimeOffset UsedAt);

public sealed record CouponUsagePage(IReadOnlyList<CouponUsageItem> Items, int Page, int PageSize, long Total);

/// <summary>
/// Back office reads over the coupons and coupon_usage tables (the read side the coupon grains
/// project into), and the reference checks a definition needs before it reaches the grain.
/// </summary>
public sealed class CouponReadModel(NpgsqlDataSource dataSource)
{
    private const string ListFilter =
        "where (@active::boolean is null or is_active = @active) and (@pattern::text is null or code ilike @pattern or description ilike @pattern)";

    private const string UsageJoin = "from coupon_usage cu join coupons c on c.id = cu.coupon_id";

    public async Task<CouponPage> ListAsync(bool? active, string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        var pattern = string.IsNullOrWhiteSpace(search) ? null : "%" + EscapeLike(search.Trim()) + "%";
        var parameters = new { active, pattern, limit = pageSize, offset = (page - 1) * pageSize };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"select count(*) from coupons {ListFilter}", parameters, cancellationToken: cancellationToken));
        var items = await connection.QueryAsync<CouponListItem>(new CommandDefinition(
            $"""
            select id, code, type, value, minimum_amount, usage_limit, used_count, per_customer_limit, starts_at, expires_at,
                   is_active, description, conditions::text as conditions, updated_at
            from coupons {ListFilter}
            order by created_at desc, id desc
            limit @limit offset @offset
            """, parameters, cancellationToken: cancellationToken));
        return new CouponPage(items.AsList(), page, pageSize, total);
    }

    public async Task<CouponUsageSummary> UsageSummaryAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<CouponUsageSummary>(new CommandDefinition(
            $"""
            select count(*) as uses, count(distinct cu.user_id) as customers, coalesce(sum(cu.discount_amount), 0) as total_discount,
                   max(cu.used_at) as last_used_at
            {UsageJoin}
            where c.code = @code
            """, new { code }, cancellationToken: cancellationToken));
    }

    public async Task<CouponUsagePage> UsageAsync(string code, int page, int pageSize, CancellationToken cancellationToken)
    {
        var parameters = new { code, limit = pageSize, offset = (page - 1) * pageSize };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"select count(*) {UsageJoin} where c.code = @code", parameters, cancellationToken: cancellationToken));
        var items = await connection.QueryAsync<CouponUsageItem>(new CommandDefinition(
            $"""
            select o.order_number, o.status as order_status, o.total_amount as order_total, u.id as user_id, u.email,
                   btrim(u.first_name || ' ' || u.last_name) as name, cu.discount_amount, cu.used_at
            {UsageJoin}
            join orders o on o.id = cu.order_id
            join users u on u.id = cu.user_id
            where c.code = @code
            order by cu.used_at desc, cu.id desc
            limit @limit offset @offset
            """, parameters, cancellationToken: cancellationToken));
        return new CouponUsagePage(items.AsList(), page, pageSize, total);
    }

    /// <summary>The coupons row id, once the grain's projection has written the row.</summary>
    public async Task<long?> IdOfAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select id from coupons where code = @code", new { code }, cancellationToken: cancellationToken));
    }

    /// <summary>Field errors for condition ids that name no category, product or customer group.</summary>
    public async Task<Dictionary<string, string[]>> UnknownReferencesAsync(CouponConditions conditions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await CheckAsync("conditions.categoryIds", "categories", conditions.CategoryIds);
        await CheckAsync("conditions.excludedCategoryIds", "categories", conditions.ExcludedCategoryIds);
        await CheckAsync("conditions.productIds", "products", conditions.ProductIds);
        await CheckAsync("conditions.customerGroupIds", "customer_groups", conditions.CustomerGroupIds);
        await CheckAsync("conditions.userIds", "users", conditions.UserIds);
        return errors;

        async Task CheckAsync(string field, string table, IReadOnlyList<long> ids)
        {
            if (ids.Count == 0)
            {
                return;
            }

            // The table name is one of the constants above, never input.
            var unknown = (await connection.QueryAsync<long>(new CommandDefinition(
                $"select i from unnest(@ids::bigint[]) i where not exists (select 1 from {table} t where t.id = i) order by i",
                new { ids = ids.ToArray() }, cancellationToken: cancellationToken))).AsList();
            if (unknown.Count > 0)
            {
                errors[field] = [$"Unknown ids: {string.Join(", ", unknown)}."];
            }
        }
    }

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
