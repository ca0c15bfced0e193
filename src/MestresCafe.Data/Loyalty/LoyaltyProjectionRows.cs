namespace MestresCafe.Data.Loyalty;

/// <summary>A customer_loyalty row (with its clawback debt); only a newer state version overwrites it.</summary>
public sealed record LoyaltyAccountRow(
    long UserId, long ProgramId, int Balance, int Earned, int Redeemed, string Tier, DateTimeOffset JoinedAt, DateTimeOffset? LastActivity,
    long StateVersion, int Debt);

/// <summary>
/// One row written by a run of a loyalty account's outbox. A run's changes are applied in event
/// order: an achievement earned and revoked in the same run is inserted before it is deleted.
/// </summary>
public abstract record LoyaltyRowChange;

/// <summary>A loyalty_transactions row; the reference is the id given, else the order's id.</summary>
public sealed record LoyaltyTransactionRow(
    Guid EventId, string Type, int Points, string Reason, long? ReferenceId, string? OrderNumber, string? ReferenceType, DateTimeOffset CreatedAt)
    : LoyaltyRowChange;

/// <summary>A notification to the account's customer; <see cref="DataJson"/> is the serialized data document.</summary>
public sealed record LoyaltyNotificationRow(Guid EventId, string Type, string Title, string Content, string DataJson, DateTimeOffset CreatedAt)
    : LoyaltyRowChange;

/// <summary>An e-mail the change causes (tier changed, reward issued), queued in the same transaction.</summary>
public sealed record LoyaltyMessageRow(Mail.OutboundMessageRequest Message) : LoyaltyRowChange;

public sealed record AchievementEarnedRow(long AchievementId, DateTimeOffset EarnedAt) : LoyaltyRowChange;

/// <summary>An earned achievement fell back below its target: an unclaimed one is no longer earned, a claimed one stays.</summary>
public sealed record AchievementRevokedRow(long AchievementId) : LoyaltyRowChange;

public sealed record AchievementClaimedRow(long AchievementId, DateTimeOffset ClaimedAt) : LoyaltyRowChange;

/// <summary>A reward_redemptions row, keyed by the redemption id; a later status overwrites the earlier.</summary>
public sealed record RedemptionRow(Guid RedemptionId, long RewardId, int PointsUsed, string Status, DateTimeOffset RedeemedAt, DateTimeOffset ExpiresAt)
    : LoyaltyRowChange;
