using System.Text.Json;
using MestresCafe.Data.Loyalty;
using MestresCafe.Data.Mail;
using MestresCafe.Notifications;
using MestresCafe.Grains.Projections;

namespace MestresCafe.Grains.Loyalty;

/// <summary>
/// Maps a loyalty account's outbox to the rows <see cref="LoyaltyProjectionStore"/> writes in one
/// transaction, in event order: the account row, and per event its transaction, achievement,
/// redemption and notification rows (the customer's messages are worded here).
/// </summary>
public sealed class LoyaltyProjection(LoyaltyProjectionStore store) : IProjection<long, LoyaltyState, LoyaltyEvent>
{
    public const string TierChangedMail = "loyalty_tier_changed";
    public const string RewardIssuedMail = "reward_issued";

    public Task ApplyAsync(long userId, LoyaltyState account, IReadOnlyList<LoyaltyEvent> events, CancellationToken cancellationToken) =>
        store.ApplyAsync(
            new LoyaltyAccountRow(userId, account.ProgramId, account.Balance, account.Earned, account.Redeemed, account.Tier, account.JoinedAt,
                account.LastActivity, account.Version, account.Debt),
            events.SelectMany(e => Changes(userId, account, e)).ToList(),
            cancellationToken);

    private static IEnumerable<LoyaltyRowChange> Changes(long userId, LoyaltyState account, LoyaltyEvent loyaltyEvent)
    {
        switch (loyaltyEvent)
        {
            // A reversal owed in full moves no points now: the account row carries its debt.
            case PointsPosted posted when posted.Points != 0:
                yield return new LoyaltyTransactionRow(
                    posted.EventId, posted.Type, posted.Points, posted.Reason, posted.ReferenceId, posted.OrderNumber,
                    posted.ReferenceId is null && posted.OrderNumber is null ? null : posted.ReferenceType, posted.OccurredAt);
                break;
            case TierChanged tier:
                yield return Notification(tier, "loyalty", $"Seu nível agora é {tier.To}", $"Você passou do nível {tier.From} para o nível {tier.To}.",
                    new { from = tier.From, to = tier.To });
                yield return Mail(tier, userId, TierChangedMail, new { tier = new { from = tier.From, to = tier.To, points = account.Balance } });
                break;
            case AchievementEarnedEvent earned:
                yield return new AchievementEarnedRow(earned.AchievementId, earned.OccurredAt);
                yield return Notification(earned, "achievement", "Nova conquista: " + earned.Name, "Resgate os pontos da conquista na sua conta.",
                    new { achievementId = earned.AchievementId });
                break;
            case AchievementRevokedEvent revoked:
                yield return new AchievementRevokedRow(revoked.AchievementId);
                break;
            case AchievementClaimedEvent claimed:
                yield return new AchievementClaimedRow(claimed.AchievementId, claimed.OccurredAt);
                break;
            case RedemptionChanged changed when account.Redemptions.FirstOrDefault(r => r.RedemptionId == changed.RedemptionId) is { } redemption:
                yield return new RedemptionRow(
                    redemption.RedemptionId, redemption.RewardId, redemption.Points, redemption.Status, redemption.RedeemedAt, redemption.ExpiresAt);
                if (redemption.Status == "issued")
                {
                    yield return Notification(changed, "reward", "Recompensa resgatada: " + changed.RewardName,
                        $"Use o cupom {redemption.CouponCode} até {redemption.ExpiresAt:dd/MM/yyyy}.",
                        new { redemptionId = redemption.RedemptionId, coupon = redemption.CouponCode });
                    yield return Mail(changed, userId, RewardIssuedMail, new
                    {
                        reward = new { name = changed.RewardName, coupon = redemption.CouponCode, expires_at = redemption.ExpiresAt, points = redemption.Points },
                    });
                }

                break;
        }
    }

    /// <summary>
    /// The e-mail beside the in-app notice (which this projection writes itself, so the templates
    /// have no notification_templates row): optional (<see cref="NotificationCategories.Loyalty"/>),
    /// keyed by the event.
    /// </summary>
    private static LoyaltyMessageRow Mail(LoyaltyEvent cause, long userId, string template, object data) =>
        new(new OutboundMessageRequest(OutboundMessageIds.For(cause.EventId, template), template, userId, JsonSerializer.Serialize(data))
        {
            Category = NotificationCategories.Loyalty,
        });

    private static LoyaltyNotificationRow Notification(LoyaltyEvent cause, string type, string title, string content, object data) =>
        new(cause.EventId, type, title, content, JsonSerializer.Serialize(data), cause.OccurredAt);
}
