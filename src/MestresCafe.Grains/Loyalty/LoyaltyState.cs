namespace MestresCafe.Grains.Loyalty;

[GenerateSerializer, Alias("mc.LoyaltyState")]
public sealed class LoyaltyState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public long ProgramId { get; set; }
    [Id(2)] public int Balance { get; set; }
    [Id(3)] public int Earned { get; set; }
    [Id(4)] public int Redeemed { get; set; }
    [Id(5)] public string Tier { get; set; } = "";
    [Id(6)] public DateTimeOffset JoinedAt { get; set; }
    [Id(7)] public DateTimeOffset? LastActivity { get; set; }
    /// <summary>Ids of events already applied: a redelivered event changes nothing.</summary>
    [Id(8)] public HashSet<Guid> ProcessedEvents { get; set; } = [];
    [Id(9)] public List<PointsEntry> Entries { get; set; } = [];
    /// <summary>Credited points not yet spent, oldest first: debits consume them in order and expiry takes what is left.</summary>
    [Id(10)] public List<PointsLot> Lots { get; set; } = [];
    [Id(11)] public Dictionary<string, OrderPoints> Orders { get; set; } = [];
    /// <summary>Achievement metrics: paid_orders, total_spent_brl, approved_reviews, ...</summary>
    [Id(12)] public Dictionary<string, decimal> Metrics { get; set; } = [];
    [Id(13)] public Dictionary<long, EarnedAchievement> Achievements { get; set; } = [];
    [Id(14)] public List<Redemption> Redemptions { get; set; } = [];
    [Id(15)] public List<LoyaltyEvent> Outbox { get; set; } = [];
    [Id(16)] public long Version { get; set; }
    /// <summary>Distinct values of product attributes bought in paid orders (e.g. Origem), for distinct-value achievements.</summary>
    [Id(17)] public Dictionary<string, HashSet<string>> AttributeValues { get; set; } = [];
}

[GenerateSerializer, Alias("mc.PointsEntry")]
public sealed record PointsEntry(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Type,
    [property: Id(3)] int Points,
    [property: Id(4)] string Reason,
    /// <summary>Whether the entry counts towards the tier (order earnings and their reversals).</summary>
    [property: Id(5)] bool CountsForTier);

[GenerateSerializer, Alias("mc.PointsLot")]
public sealed class PointsLot
{
    [Id(0)] public DateTimeOffset At { get; set; }
    [Id(1)] public DateTimeOffset? ExpiresAt { get; set; }
    [Id(2)] public int Remaining { get; set; }
}

[GenerateSerializer, Alias("mc.OrderPoints")]
public sealed class OrderPoints
{
    [Id(0)] public decimal OrderTotal { get; set; }
    [Id(1)] public int Points { get; set; }
    [Id(2)] public int Reversed { get; set; }
    [Id(3)] public bool Counted { get; set; }
}

[GenerateSerializer, Alias("mc.EarnedAchievement")]
public sealed class EarnedAchievement
{
    [Id(0)] public DateTimeOffset EarnedAt { get; set; }
    [Id(1)] public DateTimeOffset? ClaimedAt { get; set; }
}

[GenerateSerializer, Alias("mc.Redemption")]
public sealed class Redemption
{
    [Id(0)] public Guid RedemptionId { get; set; }
    [Id(1)] public long RewardId { get; set; }
    [Id(2)] public int Points { get; set; }
    [Id(3)] public string? CouponCode { get; set; }
    /// <summary>pending (points taken, coupon not yet issued), issued, used, expired, cancelled.</summary>
    [Id(4)] public string Status { get; set; } = "pending";
    [Id(5)] public DateTimeOffset RedeemedAt { get; set; }
    [Id(6)] public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>Events of a loyalty account written with its state and projected to the relational tables.</summary>
[GenerateSerializer, Alias("mc.LoyaltyEvent")]
public abstract record LoyaltyEvent([property: Id(0)] Guid EventId, [property: Id(1)] DateTimeOffset OccurredAt);

[GenerateSerializer, Alias("mc.PointsPosted")]
public sealed record PointsPosted(
    Guid EventId, DateTimeOffset OccurredAt,
    [property: Id(0)] string Type,
    [property: Id(1)] int Points,
    [property: Id(2)] string Reason,
    [property: Id(3)] string? ReferenceType,
    [property: Id(4)] string? OrderNumber,
    [property: Id(5)] long? ReferenceId) : LoyaltyEvent(EventId, OccurredAt);

[GenerateSerializer, Alias("mc.TierChanged")]
public sealed record TierChanged(Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] string From, [property: Id(1)] string To)
    : LoyaltyEvent(EventId, OccurredAt);

[GenerateSerializer, Alias("mc.AchievementEarnedEvent")]
public sealed record AchievementEarnedEvent(Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] long AchievementId, [property: Id(1)] string Name)
    : LoyaltyEvent(EventId, OccurredAt);

[GenerateSerializer, Alias("mc.AchievementClaimedEvent")]
public sealed record AchievementClaimedEvent(Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] long AchievementId)
    : LoyaltyEvent(EventId, OccurredAt);

/// <summary>A redemption (keyed by its id) is created or brought up to date.</summary>
[GenerateSerializer, Alias("mc.RedemptionChanged")]
public sealed record RedemptionChanged(Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] Guid RedemptionId, [property: Id(1)] string RewardName)
    : LoyaltyEvent(EventId, OccurredAt);
