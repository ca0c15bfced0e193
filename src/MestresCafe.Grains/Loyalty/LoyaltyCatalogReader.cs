using System.Text.Json;
using MestresCafe.Data.Loyalty;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Loyalty;

/// <summary>
/// The active program, rewards and achievements (read by <see cref="LoyaltyCatalogQuery"/>). They
/// are relational-first (the back office edits them), so an account asks for them on every call; a
/// short cache (LoyaltyOptions.CatalogCacheFor) spares PostgreSQL the same read for every customer
/// and bounds how long a back-office change takes to reach a running account. Real time, not the grains' clock: a test that moves the
/// business clock must not freeze or flush the cache.
/// </summary>
public sealed class LoyaltyCatalogReader(LoyaltyCatalogQuery query, IOptions<LoyaltyOptions> options)
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
    public Task<IReadOnlyList<(string Attribute, string Value)>> AttributeValuesAsync(
        IReadOnlyCollection<long> productIds, IReadOnlyCollection<string> attributes, CancellationToken cancellationToken = default) =>
        query.AttributeValuesAsync(productIds, attributes, cancellationToken);

    private async Task<LoyaltyCatalog?> LoadAsync(CancellationToken cancellationToken)
    {
        if (await query.GetAsync(cancellationToken) is not { } catalog)
        {
            return null;
        }

        var rewards = catalog.Rewards.Select(r => new RewardDefinition(
            r.Id, r.Name, r.Type, r.PointsRequired, r.DiscountValue, r.DiscountType, r.MinimumAmount, r.ValidDays, r.CategoryIds, r.ShippingMethods,
            r.Tiers, r.IsActive)).ToList();
        var achievements = catalog.Achievements.Select(a => new AchievementDefinition(a.Id, a.Name, a.Metric, a.Target, a.Strict, a.PointsReward, a.IsActive)
        {
            Event = a.Event,
            Attribute = a.Attribute,
        }).ToList();
        return new LoyaltyCatalog(catalog.Program.Id, ParseRules(catalog.Program.Rules), rewards, achievements);
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
