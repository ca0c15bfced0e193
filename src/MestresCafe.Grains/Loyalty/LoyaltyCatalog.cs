namespace MestresCafe.Grains.Loyalty;

/// <summary>A tier of loyalty_programs.rules.tiers: reached with min_points earned in the rolling window.</summary>
public sealed record LoyaltyTier(string Name, int MinPoints, decimal Multiplier);

/// <summary>loyalty_programs.rules, parsed, with defaults for what a program leaves out.</summary>
public sealed record LoyaltyRules(decimal PointsPerBrl, string EarnOn, IReadOnlyList<LoyaltyTier> Tiers, int WindowMonths, int? PointsExpireMonths)
{
    public static LoyaltyRules Default { get; } = new(1m, "paid", [new("Bronze", 0, 1m)], 12, null);
}

public sealed record RewardDefinition(
    long Id, string Name, string Type, int PointsRequired, decimal? DiscountValue, string? DiscountType,
    decimal MinimumAmount, int ValidDays, IReadOnlyList<long> CategoryIds, IReadOnlyList<string> ShippingMethods,
    IReadOnlyList<string> Tiers, bool IsActive);

/// <summary>An achievement's criteria: metric compared with gte (or gt) a target.</summary>
public sealed record AchievementDefinition(long Id, string Name, string Metric, decimal Target, bool Strict, int PointsReward, bool IsActive)
{
    public bool IsMetBy(decimal value) => Strict ? value > Target : value >= Target;
}

/// <summary>The active program with its rewards and achievements, as read from the relational tables.</summary>
public sealed record LoyaltyCatalog(
    long ProgramId, LoyaltyRules Rules, IReadOnlyList<RewardDefinition> Rewards, IReadOnlyList<AchievementDefinition> Achievements)
{
    public RewardDefinition? Reward(long id) => Rewards.FirstOrDefault(r => r.Id == id);

    public AchievementDefinition? Achievement(long id) => Achievements.FirstOrDefault(a => a.Id == id);
}
