using MestresCafe.Data.Projections;
using Npgsql;
using static MestresCafe.Data.SqlCommands;

namespace MestresCafe.Data.Loyalty;

/// <summary>
/// Writes a loyalty account's outbox to customer_loyalty, loyalty_transactions, reward_redemptions,
/// customer_achievements, notifications and the e-mails the changes cause: one batch, one transaction, one round trip. Rows are
/// keyed by event id, redemption id or (customer, achievement), and the account row is only
/// overwritten by a newer state version, so applying the same outbox twice changes nothing.
/// </summary>
public sealed class LoyaltyProjectionStore(ProjectionTransactions transactions)
{
    private const string AccountId =
        "(select cl.id from customer_loyalty cl join customers c on c.id = cl.customer_id where c.user_id = $1 and cl.program_id = $2)";
    private const string CustomerId = "(select id from customers where user_id = $1)";

    public Task ApplyAsync(LoyaltyAccountRow account, IReadOnlyList<LoyaltyRowChange> changes, CancellationToken cancellationToken) =>
        transactions.RunAsync((connection, transaction, token) => ApplyAsync(account, changes, connection, transaction, token), cancellationToken);

    private static async Task ApplyAsync(
        LoyaltyAccountRow account, IReadOnlyList<LoyaltyRowChange> changes, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var userId = account.UserId;
        // A customer who never completed a profile still has an account: the customers row is its anchor.
        batch.BatchCommands.Add(Batched("insert into customers (user_id) values ($1) on conflict (user_id) do nothing", userId));
        batch.BatchCommands.Add(Batched(
            $"""
            insert into customer_loyalty (customer_id, program_id, points_balance, points_earned, points_redeemed, tier_level, joined_at, last_activity, state_version, points_debt)
            values ({CustomerId}, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            on conflict (customer_id, program_id) do update
                set points_balance = excluded.points_balance, points_earned = excluded.points_earned,
                    points_redeemed = excluded.points_redeemed, tier_level = excluded.tier_level,
                    last_activity = excluded.last_activity, state_version = excluded.state_version,
                    points_debt = excluded.points_debt
                where customer_loyalty.state_version < excluded.state_version
            """,
            userId, account.ProgramId, account.Balance, account.Earned, account.Redeemed, account.Tier, account.JoinedAt, account.LastActivity,
            account.StateVersion, account.Debt));

        foreach (var change in changes)
        {
            batch.BatchCommands.Add(Command(account, change));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(LoyaltyAccountRow account, LoyaltyRowChange change) => change switch
    {
        LoyaltyTransactionRow posted => Batched(
            $"""
            insert into loyalty_transactions (customer_loyalty_id, transaction_type, points_change, reason, reference_id, reference_type, created_at, event_id)
            values ({AccountId}, $3, $4, $5, coalesce($6, (select id from orders where order_number = $7)), $8, $9, $10)
            on conflict (event_id) do nothing
            """,
            account.UserId, account.ProgramId, posted.Type, posted.Points, Truncate(posted.Reason, 255), posted.ReferenceId, posted.OrderNumber,
            posted.ReferenceType, posted.CreatedAt, posted.EventId),
        LoyaltyNotificationRow notification => Batched(
            """
            insert into notifications (user_id, type, title, content, data, created_at, event_id)
            values ($1, $2, $3, $4, $5, $6, $7)
            on conflict (event_id) do nothing
            """,
            account.UserId, notification.Type, Truncate(notification.Title, 200), notification.Content, Jsonb(notification.DataJson),
            notification.CreatedAt, notification.EventId),
        LoyaltyMessageRow message => Mail.OutboundMessageSql.Enqueue(message.Message),
        AchievementEarnedRow earned => Batched(
            $"""
            insert into customer_achievements (customer_id, achievement_id, earned_at)
            values ({CustomerId}, $2, $3)
            on conflict (customer_id, achievement_id) do nothing
            """,
            account.UserId, earned.AchievementId, earned.EarnedAt),
        AchievementRevokedRow revoked => Batched(
            $"delete from customer_achievements where customer_id = {CustomerId} and achievement_id = $2 and not is_claimed",
            account.UserId, revoked.AchievementId),
        AchievementClaimedRow claimed => Batched(
            $"""
            update customer_achievements set is_claimed = true, claimed_at = $3
            where customer_id = {CustomerId} and achievement_id = $2 and not is_claimed
            """,
            account.UserId, claimed.AchievementId, claimed.ClaimedAt),
        RedemptionRow redemption => Batched(
            $"""
            insert into reward_redemptions (customer_loyalty_id, reward_id, points_used, status, redeemed_at, expires_at, event_id)
            values ({AccountId}, $3, $4, $5, $6, $7, $8)
            on conflict (event_id) do update set status = excluded.status
            """,
            account.UserId, account.ProgramId, redemption.RewardId, redemption.PointsUsed, redemption.Status, redemption.RedeemedAt,
            redemption.ExpiresAt, redemption.RedemptionId),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "Not a loyalty row."),
    };

    // The columns' lengths: a longer reward or achievement name must not refuse the whole run.
    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
