using System.Text.Json;
using MestresCafe.Coupons;
using Npgsql;

namespace MestresCafe.Api.Coupons;

/// <summary>
/// Back office reads over the coupons and coupon_usage tables (the read side the coupon grains
/// project into), and the reference checks a definition needs before it reaches the grain.
/// </summary>
public sealed class CouponReadModel(NpgsqlDataSource dataSource)
{
    public async Task<CouponPage> ListAsync(bool? active, string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        const string Filter = "where ($1::boolean is null or is_active = $1) and ($2::text is null or code ilike $2 or description ilike $2)";
        var pattern = string.IsNullOrWhiteSpace(search) ? null : "%" + EscapeLike(search.Trim()) + "%";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long total;
        await using (var count = new NpgsqlCommand($"select count(*) from coupons {Filter}", connection))
        {
            Add(count, active, pattern);
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var command = new NpgsqlCommand(
            $"""
            select id, code, type, value, minimum_amount, usage_limit, used_count, per_customer_limit, starts_at, expires_at,
                   is_active, description, conditions::text, updated_at
            from coupons {Filter}
            order by created_at desc, id desc
            limit $3 offset $4
            """, connection);
        Add(command, active, pattern, pageSize, (page - 1) * pageSize);
        var items = new List<CouponListItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new CouponListItem(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3), reader.GetDecimal(4),
                NullableInt(reader, 5), reader.GetInt32(6), NullableInt(reader, 7), NullableTime(reader, 8), NullableTime(reader, 9),
                reader.GetBoolean(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                JsonDocument.Parse(reader.GetString(12)).RootElement.Clone(), reader.GetFieldValue<DateTimeOffset>(13)));
        }

        return new CouponPage(items, page, pageSize, total);
    }

    public async Task<CouponUsageSummary> UsageSummaryAsync(string code, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select count(*), count(distinct cu.user_id), coalesce(sum(cu.discount_amount), 0), max(cu.used_at)
            from coupon_usage cu join coupons c on c.id = cu.coupon_id
            where c.code = $1
            """);
        Add(command, code);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new CouponUsageSummary(reader.GetInt64(0), reader.GetInt64(1), reader.GetDecimal(2), NullableTime(reader, 3));
    }

    public async Task<CouponUsagePage> UsageAsync(string code, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long total;
        await using (var count = new NpgsqlCommand(
            "select count(*) from coupon_usage cu join coupons c on c.id = cu.coupon_id where c.code = $1", connection))
        {
            Add(count, code);
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var command = new NpgsqlCommand(
            """
            select o.order_number, o.status, o.total_amount, u.id, u.email, btrim(u.first_name || ' ' || u.last_name),
                   cu.discount_amount, cu.used_at
            from coupon_usage cu
            join coupons c on c.id = cu.coupon_id
            join orders o on o.id = cu.order_id
            join users u on u.id = cu.user_id
            where c.code = $1
            order by cu.used_at desc, cu.id desc
            limit $2 offset $3
            """, connection);
        Add(command, code, pageSize, (page - 1) * pageSize);
        var items = new List<CouponUsageItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new CouponUsageItem(
                reader.GetString(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.GetDecimal(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return new CouponUsagePage(items, page, pageSize, total);
    }

    /// <summary>The coupons row id, once the grain's projection has written the row.</summary>
    public async Task<long?> IdOfAsync(string code, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select id from coupons where code = $1");
        Add(command, code);
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    /// <summary>Field errors for condition ids that name no category, product or customer group.</summary>
    public async Task<Dictionary<string, string[]>> UnknownReferencesAsync(CouponConditions conditions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
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
            await using var command = dataSource.CreateCommand(
                $"select array(select i from unnest($1::bigint[]) i where not exists (select 1 from {table} t where t.id = i) order by i)");
            Add(command, ids.ToArray());
            var unknown = (long[])(await command.ExecuteScalarAsync(cancellationToken))!;
            if (unknown.Length > 0)
            {
                errors[field] = [$"Unknown ids: {string.Join(", ", unknown)}."];
            }
        }
    }

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private static int? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
