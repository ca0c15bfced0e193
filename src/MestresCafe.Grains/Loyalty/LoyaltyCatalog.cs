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

/// <summary>
/// An achievement's criteria (achievements.criteria): a metric compared with gte (or gt) a target.
/// Event names the activity that counts towards the metric (review_approved, course_completed, ...);
/// Attribute makes the metric the number of distinct values of that product attribute among the
/// products of paid orders (e.g. "Origem" for distinct coffee origins).
/// </summary>
public sealed record AchievementDefinition(long Id, string Name, string Metric, decimal Target, bool Strict, int PointsReward, bool IsActive)
{
    public string? Event { get; init; }

    public string? Attribute { get; init; }

    public bool IsMetBy(decimal value) => Strict ? value > Target : value >= Target;
}

/// <summary>The active program with its rewards and achievements, as read from the relational tables.</summary>
public sealed record LoyaltyCatalog(
    long ProgramId, LoyaltyRules Rules, IReadOnlyList<RewardDefinition> Rewards, IReadOnlyList<AchievementDefinition> Achievements)
{
    /// <summary>No active program: nothing is earned or redeemed.</summary>
    public static LoyaltyCatalog Empty { get; } = new(0, LoyaltyRules.Default, [], []);

    public RewardDefinition? Reward(long id) => Rewards.FirstOrDefault(r => r.Id == id);

    public AchievementDefinition? Achievement(long id) => Achievements.FirstOrDefault(a => a.Id == id);
}
