namespace MestresCafe.Loyalty;

/// <summary>
/// One customer's account in the active loyalty program, keyed by user id. Every change to the
/// balance is serialized here (the grain is not reentrant), so redemptions can never overdraw it,
/// and each event id is applied once. The grain is the only writer of its customer_loyalty row,
/// loyalty_transactions, reward_redemptions, customer_achievements and loyalty notifications.
/// </summary>
public interface ILoyaltyAccountGrain : IGrainWithIntegerKey
{
    /// <summary>Balance, tier over the rolling window, progress, recent history, redemptions and achievements.</summary>
    Task<LoyaltyAccountSnapshot> GetAsync();

    /// <summary>
    /// Applies an order event (also delivered by the user's stream). A known event id changes nothing.
    /// A refund or a cancellation after payment reverses what the order earned and counted; points
    /// already spent become a clawback debt paid from the next points earned.
    /// </summary>
    Task<LoyaltyAccountSnapshot> ApplyOrderEventAsync(LoyaltyOrderEvent orderEvent);

    /// <summary>Counts an activity for achievements (review, course, referral). Idempotent by event id.</summary>
    Task<LoyaltyAccountSnapshot> RecordActivityAsync(LoyaltyActivity activity);

    /// <summary>Deducts the reward's points and issues a single-use coupon that expires.</summary>
    Task<LoyaltyResult> RedeemAsync(long rewardId);

    /// <summary>Grants an earned achievement's points, once.</summary>
    Task<LoyaltyResult> ClaimAchievementAsync(long achievementId);

    /// <summary>Back-office adjustment; refused when it would take the balance below zero.</summary>
    Task<LoyaltyResult> AdjustAsync(int points, string reason, long byUserId);
}
