using MestresCafe.Coupons;
using Npgsql;

namespace MestresCafe.Grains.Coupons;

/// <summary>A coupons row and its coupon_usage rows, as a coupon grain finds them on first activation.</summary>
public sealed record CouponRow(long Id, CouponDefinition Definition, int UsedCount, long StateVersion, IReadOnlyList<CouponRowUse> Uses);

public sealed record CouponRowUse(string OrderNumber, long UserId, decimal Discount, DateTimeOffset UsedAt);

/// <summary>
/// Reads the coupons row a coupon grain starts from, and applies its outbox: the coupons row
/// (definition, used_count; only a newer state version overwrites it) and one coupon_usage row per
/// confirmed use, keyed by (coupon, order) so a replay inserts nothing. All in one transaction, so
/// used_count and the coupon_usage rows always agree.
/// </summary>
public sealed class CouponProjection(NpgsqlDataSource dataSource)
{
    public async Task<CouponRow?> LoadAsync(string code, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        CouponRow row;
        CouponConditionsJson.Parsed conditions;
        await using (var command = new NpgsqlCommand(
            """
            select id, type, value, minimum_amount, usage_limit, used_count, starts_at, expires_at, is_active,
                   conditions::text, per_customer_limit, description, state_version
            from coupons where code = $1
            """, connection))
        {
            command.Parameters.Add(new() { Value = code });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            if (!SnakeCaseNames.TryParse<CouponType>(reader.GetString(1), out var type))
            {
                throw new InvalidOperationException($"Coupon {code} has an unknown type '{reader.GetString(1)}'.");
            }

            conditions = CouponConditionsJson.Read(reader.GetString(9));
            var definition = new CouponDefinition(
                type, reader.GetDecimal(2), reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.IsDBNull(10) ? null : reader.GetInt32(10),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetBoolean(8), conditions.Conditions,
                reader.IsDBNull(11) ? null : reader.GetString(11));
            row = new CouponRow(reader.GetInt64(0), definition, reader.GetInt32(5), reader.GetInt64(12), []);
        }

        var resolved = await ResolveSlugsAsync(connection, conditions, cancellationToken);
        var uses = await LoadUsesAsync(connection, row.Id, cancellationToken);
        return row with { Definition = row.Definition with { Conditions = resolved }, Uses = uses };
    }

    public async Task ApplyAsync(string code, CouponState state, IReadOnlyList<CouponEvent> events, CancellationToken cancellationToken)
    {
        if (state.Definition is not { } definition)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
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
            Add(upsert, code, definition.Type.ToSnakeCase(), definition.Value, definition.MinimumAmount, definition.UsageLimit,
                state.UsedCount, definition.StartsAt?.ToUniversalTime(), definition.ExpiresAt?.ToUniversalTime(), definition.IsActive,
                CouponConditionsJson.Write(definition.Conditions), definition.PerCustomerLimit, definition.Description, state.Version);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        var confirmed = events.Where(e => e.Type == CouponEventType.Confirmed && e.OrderNumber is not null).ToList();
        if (confirmed.Count > 0)
        {
            await InsertUsesAsync(connection, transaction, code, confirmed, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task InsertUsesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string code, List<CouponEvent> confirmed, CancellationToken cancellationToken)
    {
        var orderNumbers = confirmed.Select(e => e.OrderNumber!).ToArray();
        await using (var missing = new NpgsqlCommand(
            """
            select n from unnest($1::text[]) as n
            where not exists (select 1 from orders o where o.order_number = n)
            """, connection, transaction))
        {
            Add(missing, [orderNumbers]);
            var absent = new List<string>();
            await using var reader = await missing.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                absent.Add(reader.GetString(0));
            }

            if (absent.Count > 0)
            {
                // The order grain has not projected these orders yet; the pump retries with
                // back-off. Dropping the use instead would leave used_count and coupon_usage apart.
                throw new InvalidOperationException(
                    $"Coupon {code}: orders {string.Join(", ", absent.Take(5))} are not in the orders table yet.");
            }
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
        Add(insert, code, orderNumbers, confirmed.Select(e => e.Discount).ToArray(),
            confirmed.Select(e => e.OccurredAt.ToUniversalTime()).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<CouponConditions> ResolveSlugsAsync(
        NpgsqlConnection connection, CouponConditionsJson.Parsed parsed, CancellationToken cancellationToken)
    {
        if (parsed.CategorySlugs.Count == 0 && parsed.ExcludedCategorySlugs.Count == 0)
        {
            return parsed.Conditions;
        }

        var ids = new Dictionary<string, long>();
        await using (var command = new NpgsqlCommand("select slug, id from categories where slug = any($1)", connection))
        {
            Add(command, [parsed.CategorySlugs.Concat(parsed.ExcludedCategorySlugs).ToArray()]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var included = parsed.Conditions.CategoryIds.Concat(parsed.CategorySlugs.Where(ids.ContainsKey).Select(s => ids[s])).ToList();
        if (parsed.CategorySlugs.Count > 0 && included.Count == 0)
        {
            // Restricted to categories that do not exist: it applies to nothing. An empty list
            // would mean "applies to everything"; 0 is an id no category has.
            included.Add(0);
        }

        return parsed.Conditions with
        {
            CategoryIds = included,
            ExcludedCategoryIds = parsed.Conditions.ExcludedCategoryIds
                .Concat(parsed.ExcludedCategorySlugs.Where(ids.ContainsKey).Select(s => ids[s])).ToList(),
        };
    }

    private static async Task<List<CouponRowUse>> LoadUsesAsync(NpgsqlConnection connection, long couponId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            select o.order_number, cu.user_id, cu.discount_amount, cu.used_at
            from coupon_usage cu join orders o on o.id = cu.order_id
            where cu.coupon_id = $1
            """, connection);
        Add(command, couponId);
        var uses = new List<CouponRowUse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            uses.Add(new CouponRowUse(reader.GetString(0), reader.GetInt64(1), reader.GetDecimal(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return uses;
    }

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
