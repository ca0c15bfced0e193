using MestresCafe.Grains.Projections;
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
    /// <summary>
    /// Points a reversal could not take because they were already spent, oldest first: the balance
    /// never goes below zero, and the next credited points pay these before they reach it.
    /// </summary>
    [Id(18)] public List<ClawbackDebt> Debts { get; set; } = [];

    /// <summary>Points still owed to reversals (zero whenever the balance is above zero).</summary>
    public int Debt => Debts.Sum(d => d.Points);
}

[GenerateSerializer, Alias("mc.PointsEntry")]
public sealed record PointsEntry(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Type,
    [property: Id(3)] int Points,
    [property: Id(4)] string Reason,
    /// <summary>Whether the entry counts towards the tier (order earnings and their reversals).</summary>
    [property: Id(5)] bool CountsForTier)
{
    /// <summary>
    /// What the entry moves the tier by when that differs from Points: a reversal takes the order's
    /// points off the tier window even when part of them is owed rather than taken from the balance.
    /// </summary>
    [Id(6)] public int? TierPoints { get; init; }
}

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
    /// <summary>Refunded so far (of OrderTotal, what the customer paid).</summary>
    [Id(4)] public decimal RefundedAmount { get; set; }
    /// <summary>What the order added to the amount-spent metric, and how much of it refunds took back.</summary>
    [Id(5)] public decimal Spent { get; set; }
    [Id(6)] public decimal SpentReversed { get; set; }
    /// <summary>Cancelled after payment: everything it earned or counted is reversed.</summary>
    [Id(7)] public bool Cancelled { get; set; }
    /// <summary>Fully reversed: it no longer counts as a paid order nor for its attribute values.</summary>
    [Id(8)] public bool Withdrawn { get; set; }
    /// <summary>The attribute values it counted (null for orders counted before they were recorded).</summary>
    [Id(9)] public Dictionary<string, HashSet<string>>? Attributes { get; set; }
}

/// <summary>Points owed to a reversal, with what it reverses (for the clawback rows that repay it).</summary>
[GenerateSerializer, Alias("mc.ClawbackDebt")]
public sealed class ClawbackDebt
{
    [Id(0)] public int Points { get; set; }
    [Id(1)] public string Reason { get; set; } = "";
    [Id(2)] public string? ReferenceType { get; set; }
    [Id(3)] public string? OrderNumber { get; set; }
    [Id(4)] public long? ReferenceId { get; set; }
    [Id(5)] public DateTimeOffset At { get; set; }
}

[GenerateSerializer, Alias("mc.EarnedAchievement")]
public sealed class EarnedAchievement
{
    [Id(0)] public DateTimeOffset EarnedAt { get; set; }
    [Id(1)] public DateTimeOffset? ClaimedAt { get; set; }
    /// <summary>
    /// Set when a reversed order took the progress back below the target: not claimable meanwhile,
    /// and a claim's points are reversed. Cleared when the progress reaches the target again.
    /// </summary>
    [Id(2)] public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>The points the claim granted (null for claims made before they were recorded).</summary>
    [Id(3)] public int? ClaimedPoints { get; set; }
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
public abstract record LoyaltyEvent([property: Id(0)] Guid EventId, [property: Id(1)] DateTimeOffset OccurredAt) : IOutboxEvent;

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

/// <summary>An earned achievement fell back below its target; an unclaimed one is no longer earned.</summary>
[GenerateSerializer, Alias("mc.AchievementRevokedEvent")]
public sealed record AchievementRevokedEvent(Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] long AchievementId)
    : LoyaltyEvent(EventId, OccurredAt);

[GenerateSerializer, Alias("mc.AchievementClaimedEvent")]
public sealed record AchievementClaimedEvent(Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] long AchievementId)
    : LoyaltyEvent(EventId, OccurredAt);

/// <summary>A redemption (keyed by its id) is created or brought up to date.</summary>
[GenerateSerializer, Alias("mc.RedemptionChanged")]
public sealed record RedemptionChanged(Guid EventId, DateTimeOffset OccurredAt, [property: Id(0)] Guid RedemptionId, [property: Id(1)] string RewardName)
    : LoyaltyEvent(EventId, OccurredAt);
