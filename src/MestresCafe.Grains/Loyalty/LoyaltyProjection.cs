using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Grains.Loyalty;

/// <summary>
/// Applies a loyalty account's outbox to customer_loyalty (with its clawback debt), loyalty_transactions,
/// reward_redemptions, customer_achievements and notifications in one transaction. Rows are keyed
/// by event id, redemption id or (customer, achievement), and the account row is only overwritten
/// by a newer state version, so applying the same outbox twice changes nothing.
/// </summary>
public sealed class LoyaltyProjection(NpgsqlDataSource dataSource)
{
    private const string AccountId =
        "(select cl.id from customer_loyalty cl join customers c on c.id = cl.customer_id where c.user_id = $1 and cl.program_id = $2)";

    public async Task ApplyAsync(long userId, LoyaltyState account, IReadOnlyList<LoyaltyEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = new NpgsqlBatch(connection, transaction);
        // A customer who never completed a profile still has an account: the customers row is its anchor.
        batch.BatchCommands.Add(Command("insert into customers (user_id) values ($1) on conflict (user_id) do nothing", userId));
        batch.BatchCommands.Add(Command(
            """
            insert into customer_loyalty (customer_id, program_id, points_balance, points_earned, points_redeemed, tier_level, joined_at, last_activity, state_version, points_debt)
            values ((select id from customers where user_id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10)
            on conflict (customer_id, program_id) do update
                set points_balance = excluded.points_balance, points_earned = excluded.points_earned,
                    points_redeemed = excluded.points_redeemed, tier_level = excluded.tier_level,
                    last_activity = excluded.last_activity, state_version = excluded.state_version,
                    points_debt = excluded.points_debt
                where customer_loyalty.state_version < excluded.state_version
            """,
            userId, account.ProgramId, account.Balance, account.Earned, account.Redeemed, account.Tier, account.JoinedAt, account.LastActivity, account.Version,
            account.Debt));

        foreach (var loyaltyEvent in events)
        {
            switch (loyaltyEvent)
            {
                // A reversal owed in full moves no points now: the account row above carries its debt.
                case PointsPosted posted when posted.Points != 0:
                    batch.BatchCommands.Add(Command(
                        $"""
                        insert into loyalty_transactions (customer_loyalty_id, transaction_type, points_change, reason, reference_id, reference_type, created_at, event_id)
                        values ({AccountId}, $3, $4, $5, coalesce($6, (select id from orders where order_number = $7)), $8, $9, $10)
                        on conflict (event_id) do nothing
                        """,
                        userId, account.ProgramId, posted.Type, posted.Points, Truncate(posted.Reason, 255), posted.ReferenceId, posted.OrderNumber,
                        posted.ReferenceId is null && posted.OrderNumber is null ? null : posted.ReferenceType, posted.OccurredAt, posted.EventId));
                    break;
                case TierChanged tier:
                    AddNotification(batch, userId, "loyalty", $"Seu nível agora é {tier.To}", $"Você passou do nível {tier.From} para o nível {tier.To}.",
                        new { from = tier.From, to = tier.To }, tier.EventId, tier.OccurredAt);
                    break;
                case AchievementEarnedEvent earned:
                    batch.BatchCommands.Add(Command(
                        """
                        insert into customer_achievements (customer_id, achievement_id, earned_at)
                        values ((select id from customers where user_id = $1), $2, $3)
                        on conflict (customer_id, achievement_id) do nothing
                        """,
                        userId, earned.AchievementId, earned.OccurredAt));
                    AddNotification(batch, userId, "achievement", "Nova conquista: " + earned.Name, "Resgate os pontos da conquista na sua conta.",
                        new { achievementId = earned.AchievementId }, earned.EventId, earned.OccurredAt);
                    break;
                case AchievementRevokedEvent revoked:
                    // A claimed achievement stays claimed; an unclaimed one is no longer earned.
                    batch.BatchCommands.Add(Command(
                        """
                        delete from customer_achievements
                        where customer_id = (select id from customers where user_id = $1) and achievement_id = $2 and not is_claimed
                        """,
                        userId, revoked.AchievementId));
                    break;
                case AchievementClaimedEvent claimed:
                    batch.BatchCommands.Add(Command(
                        """
                        update customer_achievements set is_claimed = true, claimed_at = $3
                        where customer_id = (select id from customers where user_id = $1) and achievement_id = $2 and not is_claimed
                        """,
                        userId, claimed.AchievementId, claimed.OccurredAt));
                    break;
                case RedemptionChanged changed when account.Redemptions.FirstOrDefault(r => r.RedemptionId == changed.RedemptionId) is { } redemption:
                    batch.BatchCommands.Add(Command(
                        $"""
                        insert into reward_redemptions (customer_loyalty_id, reward_id, points_used, status, redeemed_at, expires_at, event_id)
                        values ({AccountId}, $3, $4, $5, $6, $7, $8)
                        on conflict (event_id) do update set status = excluded.status
                        """,
                        userId, account.ProgramId, redemption.RewardId, redemption.Points, redemption.Status, redemption.RedeemedAt, redemption.ExpiresAt, redemption.RedemptionId));
                    if (redemption.Status == "issued")
                    {
                        AddNotification(batch, userId, "reward", "Recompensa resgatada: " + changed.RewardName,
                            $"Use o cupom {redemption.CouponCode} até {redemption.ExpiresAt:dd/MM/yyyy}.",
                            new { redemptionId = redemption.RedemptionId, coupon = redemption.CouponCode }, changed.EventId, changed.OccurredAt);
                    }

                    break;
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static void AddNotification(NpgsqlBatch batch, long userId, string type, string title, string content, object data, Guid eventId, DateTimeOffset at) =>
        batch.BatchCommands.Add(Command(
            """
            insert into notifications (user_id, type, title, content, data, created_at, event_id)
            values ($1, $2, $3, $4, $5, $6, $7)
            on conflict (event_id) do nothing
            """,
            userId, type, Truncate(title, 200), content, new NpgsqlParameter { Value = JsonSerializer.Serialize(data), NpgsqlDbType = NpgsqlDbType.Jsonb }, at, eventId));

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
