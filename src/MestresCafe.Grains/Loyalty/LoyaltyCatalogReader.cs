using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Grains.Loyalty;

/// <summary>
/// Reads the active program, rewards and achievements. They are relational-first (the back office
/// edits them), so an account asks for them on every call; a short cache (LoyaltyOptions.CatalogCacheFor)
/// spares PostgreSQL the same three queries for every customer and bounds how long a back-office
/// change takes to reach a running account. Real time, not the grains' clock: a test that moves the
/// business clock must not freeze or flush the cache.
/// </summary>
public sealed class LoyaltyCatalogReader(NpgsqlDataSource dataSource, IOptions<LoyaltyOptions> options)
{
    private (LoyaltyCatalog? Catalog, DateTimeOffset At)? _cached;

    /// <summary>The active program with its rewards and achievements; null when no program is active.</summary>
    public async Task<LoyaltyCatalog?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_cached is { } cached && DateTimeOffset.UtcNow - cached.At < options.Value.CatalogCacheFor)
        {
            return cached.Catalog;
        }

        var catalog = await LoadAsync(cancellationToken);
        _cached = (catalog, DateTimeOffset.UtcNow);
        return catalog;
    }

    public void Invalidate() => _cached = null;

    /// <summary>Values of the named attributes (e.g. "Origem") of these products, for distinct-value achievements.</summary>
    public async Task<IReadOnlyList<(string Attribute, string Value)>> AttributeValuesAsync(
        IReadOnlyCollection<long> productIds, IReadOnlyCollection<string> attributes, CancellationToken cancellationToken = default)
    {
        if (productIds.Count == 0 || attributes.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(
            """
            select distinct pa.name, btrim(pav.value) from product_attribute_values pav
            join product_attributes pa on pa.id = pav.attribute_id
            where pav.product_id = any($1) and pa.name = any($2) and btrim(pav.value) <> ''
            """);
        command.Parameters.Add(new() { Value = productIds.ToArray() });
        command.Parameters.Add(new() { Value = attributes.ToArray() });
        var values = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add((reader.GetString(0), reader.GetString(1)));
        }

        return values;
    }

    private async Task<LoyaltyCatalog?> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long programId;
        LoyaltyRules rules;
        await using (var command = new NpgsqlCommand("select id, rules::text from loyalty_programs where is_active order by id limit 1", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            programId = reader.GetInt64(0);
            rules = ParseRules(reader.GetString(1));
        }

        var rewards = new List<RewardDefinition>();
        await using (var command = new NpgsqlCommand(
            """
            select r.id, r.name, r.type, r.points_required, r.discount_value, r.discount_type,
                   coalesce((r.conditions->>'minimum_amount')::numeric, 0), coalesce((r.conditions->>'valid_days')::int, 30),
                   coalesce((select array_agg(c.id) from categories c
                             where c.slug in (select jsonb_array_elements_text(coalesce(r.conditions->'category_slugs', '[]')))), '{}'),
                   array(select jsonb_array_elements_text(coalesce(r.conditions->'shipping_methods', '[]'))),
                   array(select jsonb_array_elements_text(coalesce(r.conditions->'tiers', '[]'))),
                   r.is_active
            from rewards r order by r.points_required, r.id
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rewards.Add(new RewardDefinition(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetDecimal(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetDecimal(6), reader.GetInt32(7), reader.GetFieldValue<long[]>(8), reader.GetFieldValue<string[]>(9),
                    reader.GetFieldValue<string[]>(10), reader.GetBoolean(11)));
            }
        }

        var achievements = new List<AchievementDefinition>();
        await using (var command = new NpgsqlCommand(
            """
            select id, name, coalesce(criteria->>'metric', ''), coalesce((criteria->>'gte')::numeric, (criteria->>'gt')::numeric, 1),
                   criteria ? 'gt' and not criteria ? 'gte', points_reward, is_active, criteria->>'event', criteria->>'attribute'
            from achievements order by id
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                achievements.Add(new AchievementDefinition(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3), reader.GetBoolean(4),
                    reader.GetInt32(5), reader.GetBoolean(6))
                {
                    Event = reader.IsDBNull(7) ? null : reader.GetString(7),
                    Attribute = reader.IsDBNull(8) ? null : reader.GetString(8),
                });
            }
        }

        return new LoyaltyCatalog(programId, rules, rewards, achievements);
    }

    /// <summary>loyalty_programs.rules; anything missing or malformed falls back to the defaults.</summary>
    public static LoyaltyRules ParseRules(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var defaults = LoyaltyRules.Default;
        var tiers = new List<LoyaltyTier>();
        if (root.TryGetProperty("tiers", out var tierArray) && tierArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var tier in tierArray.EnumerateArray())
            {
                if (tier.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    tiers.Add(new LoyaltyTier(
                        name.GetString()!,
                        tier.TryGetProperty("min_points", out var min) && min.TryGetInt32(out var m) ? m : 0,
                        tier.TryGetProperty("multiplier", out var mul) && mul.TryGetDecimal(out var x) && x > 0 ? x : 1m));
                }
            }
        }

        return new LoyaltyRules(
            root.TryGetProperty("points_per_brl", out var ppb) && ppb.TryGetDecimal(out var p) && p >= 0 ? p : defaults.PointsPerBrl,
            root.TryGetProperty("earn_on", out var on) && on.ValueKind == JsonValueKind.String ? on.GetString()! : defaults.EarnOn,
            tiers.Count > 0 ? tiers.OrderBy(t => t.MinPoints).ToList() : defaults.Tiers,
            root.TryGetProperty("window_months", out var w) && w.TryGetInt32(out var wm) && wm > 0 ? wm : defaults.WindowMonths,
            root.TryGetProperty("points_expire_months", out var e) && e.TryGetInt32(out var em) && em > 0 ? em : defaults.PointsExpireMonths);
    }
}
