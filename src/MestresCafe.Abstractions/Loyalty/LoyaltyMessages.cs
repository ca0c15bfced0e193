namespace MestresCafe.Loyalty;

[GenerateSerializer, Alias("mc.LoyaltyHistoryEntry")]
public sealed record LoyaltyHistoryEntry(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Type,
    [property: Id(3)] int Points,
    [property: Id(4)] string Reason);

/// <summary>PointsToNextTier: points still to earn within the rolling window (WindowPoints) to reach NextTier.</summary>
[GenerateSerializer, Alias("mc.LoyaltyAccountSnapshot")]
public sealed record LoyaltyAccountSnapshot(
    [property: Id(0)] long UserId,
    [property: Id(1)] int Balance,
    [property: Id(2)] int Earned,
    [property: Id(3)] int Redeemed,
    [property: Id(4)] string Tier,
    [property: Id(5)] string? NextTier,
    [property: Id(6)] int PointsToNextTier,
    [property: Id(7)] int WindowPoints,
    [property: Id(8)] DateTimeOffset? JoinedAt,
    [property: Id(9)] DateTimeOffset? LastActivity,
    [property: Id(10)] IReadOnlyList<LoyaltyHistoryEntry> History,
    [property: Id(11)] IReadOnlyList<RedemptionInfo> Redemptions,
    [property: Id(12)] IReadOnlyList<AchievementProgress> Achievements,
    [property: Id(13)] long Version)
{
    /// <summary>
    /// Points reversed (a refunded or cancelled order, an achievement that fell back) that the balance
    /// could not cover because they were spent: the next points earned pay them first.
    /// </summary>
    [Id(14)] public int ClawbackDebt { get; init; }
}

[GenerateSerializer, Alias("mc.RedemptionInfo")]
public sealed record RedemptionInfo(
    [property: Id(0)] Guid RedemptionId,
    [property: Id(1)] long RewardId,
    [property: Id(2)] int Points,
    [property: Id(3)] string? CouponCode,
    [property: Id(4)] string Status,
    [property: Id(5)] DateTimeOffset RedeemedAt,
    [property: Id(6)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Alias("mc.AchievementProgress")]
public sealed record AchievementProgress(
    [property: Id(0)] long AchievementId,
    [property: Id(1)] string Name,
    [property: Id(2)] decimal Current,
    [property: Id(3)] decimal Target,
    [property: Id(4)] int PointsReward,
    [property: Id(5)] DateTimeOffset? EarnedAt,
    [property: Id(6)] DateTimeOffset? ClaimedAt)
{
    /// <summary>When a reversed order took the progress back below the target (EarnedAt is then null).</summary>
    [Id(7)] public DateTimeOffset? RevokedAt { get; init; }
}

[GenerateSerializer, Alias("mc.LoyaltyOutcome")]
public enum LoyaltyOutcome
{
    Done = 0,
    UnknownReward = 1,
    InsufficientPoints = 2,
    NotEligible = 3,
    UnknownAchievement = 4,
    NotEarned = 5,
    AlreadyClaimed = 6,
    Invalid = 7,
    Unavailable = 8,
}

[GenerateSerializer, Alias("mc.LoyaltyResult")]
public sealed record LoyaltyResult(
    [property: Id(0)] LoyaltyOutcome Outcome,
    [property: Id(1)] string? Detail,
    [property: Id(2)] RedemptionInfo? Redemption,
    [property: Id(3)] LoyaltyAccountSnapshot? Account)
{
    public bool Succeeded => Outcome == LoyaltyOutcome.Done;
}
