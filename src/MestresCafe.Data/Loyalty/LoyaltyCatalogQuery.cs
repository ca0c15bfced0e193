using Dapper;
using Npgsql;

namespace MestresCafe.Data.Loyalty;

/// <summary>The active loyalty program: its id and its rules document (JSON text).</summary>
public sealed record LoyaltyProgramRecord(long Id, string Rules);

/// <summary>A rewards row with its conditions taken apart (category slugs resolved to ids).</summary>
public sealed class RewardRecord
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public int PointsRequired { get; init; }
    public decimal? DiscountValue { get; init; }
    public string? DiscountType { get; init; }
    public decimal MinimumAmount { get; init; }
    public int ValidDays { get; init; }
    public long[] CategoryIds { get; init; } = [];
    public string[] ShippingMethods { get; init; } = [];
    public string[] Tiers { get; init; } = [];
    public bool IsActive { get; init; }
}

/// <summary>An achievements row with its criteria taken apart: a metric compared with gte (or, when <see cref="Strict"/>, gt) a target.</summary>
public sealed record AchievementRecord(
    long Id, string Name, string Metric, decimal Target, bool Strict, int PointsReward, bool IsActive, string? Event, string? Attribute);

/// <summary>The loyalty catalog as the back office keeps it: program, rewards and achievements, read in one round trip.</summary>
public sealed class LoyaltyCatalogQuery(NpgsqlDataSource dataSource)
{
    /// <summary>The active program with every reward and achievement; null when no program is active.</summary>
    public async Task<(LoyaltyProgramRecord Program, IReadOnlyList<RewardRecord> Rewards, IReadOnlyList<AchievementRecord> Achievements)?> GetAsync(
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            select id, rules::text as rules from loyalty_programs where is_active order by id limit 1;

            select r.id, r.name, r.type, r.points_required, r.discount_value, r.discount_type,
                   coalesce((r.conditions->>'minimum_amount')::numeric, 0) as minimum_amount,
                   coalesce((r.conditions->>'valid_days')::int, 30) as valid_days,
                   coalesce((select array_agg(c.id) from categories c
                             where c.slug in (select jsonb_array_elements_text(coalesce(r.conditions->'category_slugs', '[]')))), '{}') as category_ids,
                   array(select jsonb_array_elements_text(coalesce(r.conditions->'shipping_methods', '[]'))) as shipping_methods,
                   array(select jsonb_array_elements_text(coalesce(r.conditions->'tiers', '[]'))) as tiers,
                   r.is_active
            from rewards r order by r.points_required, r.id;

            select id, name, coalesce(criteria->>'metric', '') as metric,
                   coalesce((criteria->>'gte')::numeric, (criteria->>'gt')::numeric, 1) as target,
                   criteria ? 'gt' and not criteria ? 'gte' as strict, points_reward, is_active,
                   criteria->>'event' as event, criteria->>'attribute' as attribute
            from achievements order by id
            """, cancellationToken: cancellationToken));
        var program = await results.ReadSingleOrDefaultAsync<LoyaltyProgramRecord>();
        var rewards = (await results.ReadAsync<RewardRecord>()).AsList();
        var achievements = (await results.ReadAsync<AchievementRecord>()).AsList();
        return program is null ? null : (program, rewards, achievements);
    }

    /// <summary>Values of the named attributes (e.g. "Origem") of these products, for distinct-value achievements.</summary>
    public async Task<IReadOnlyList<(string Attribute, string Value)>> AttributeValuesAsync(
        IReadOnlyCollection<long> productIds, IReadOnlyCollection<string> attributes, CancellationToken cancellationToken = default)
    {
        if (productIds.Count == 0 || attributes.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(string Attribute, string Value)>(new CommandDefinition(
            """
            select distinct pa.name, btrim(pav.value) from product_attribute_values pav
            join product_attributes pa on pa.id = pav.attribute_id
            where pav.product_id = any(@productIds) and pa.name = any(@attributes) and btrim(pav.value) <> ''
            """, new { productIds = productIds.ToArray(), attributes = attributes.ToArray() }, cancellationToken: cancellationToken))).AsList();
    }
}
