using MestresCafe.Loyalty;

namespace MestresCafe.Grains.Loyalty;

/// <summary>
/// The rules of one loyalty account over its state, without persistence: earning, proportional
/// reversal, tier over the rolling window, expiry, redemption, achievements. Every change records
/// its events in the state's outbox. Points are spent and expired oldest first.
/// </summary>
public sealed class LoyaltyLedger(LoyaltyState state, LoyaltyCatalog catalog, TimeProvider clock)
{
    public const string PaidOrdersMetric = "paid_orders";
    public const string TotalSpentMetric = "total_spent_brl";

    private LoyaltyState S => state;
    private LoyaltyRules Rules => catalog.Rules;

    /// <summary>Creates the account on first use, in the lowest tier.</summary>
    public void EnsureOpen()
    {
        if (S.Exists)
        {
            return;
        }

        S.Exists = true;
        S.ProgramId = catalog.ProgramId;
        S.JoinedAt = clock.GetUtcNow();
        S.Tier = Rules.Tiers.OrderBy(t => t.MinPoints).First().Name;
        S.Version++;
    }

    /// <summary>
    /// Applies an order event once; false when its id was seen before. Attribute values are those of
    /// the order's products (read by the caller) for distinct-value achievements.
    /// </summary>
    public bool ApplyOrder(LoyaltyOrderEvent e, IReadOnlyList<(string Attribute, string Value)>? attributeValues = null)
    {
        EnsureOpen();
        if (!S.ProcessedEvents.Add(e.EventId))
        {
            return false;
        }

        S.LastActivity = clock.GetUtcNow();
        var order = S.Orders.TryGetValue(e.OrderNumber, out var known) ? known : S.Orders[e.OrderNumber] = new OrderPoints();
        switch (e.Kind)
        {
            case LoyaltyOrderEventKind.Paid or LoyaltyOrderEventKind.Delivered:
                if (e.Kind == LoyaltyOrderEventKind.Paid && !order.Counted)
                {
                    order.Counted = true;
                    Bump(PaidOrdersMetric, 1);
                    Bump(TotalSpentMetric, e.Amount);
                    foreach (var (attribute, value) in attributeValues ?? [])
                    {
                        (S.AttributeValues.TryGetValue(attribute, out var seen) ? seen : S.AttributeValues[attribute] = []).Add(value);
                    }
                }

                var earnsNow = string.Equals(Rules.EarnOn, "delivered", StringComparison.OrdinalIgnoreCase)
                    ? e.Kind == LoyaltyOrderEventKind.Delivered
                    : e.Kind == LoyaltyOrderEventKind.Paid;
                if (earnsNow && order.Points == 0)
                {
                    order.OrderTotal = e.OrderTotal;
                    var points = (int)Math.Floor(e.Amount * Rules.PointsPerBrl * CurrentTier().Multiplier);
                    if (points > 0)
                    {
                        order.Points = points;
                        Credit(e.EventId, e.OccurredAt, "earn", points, $"pedido {e.OrderNumber}", "order", e.OrderNumber, null, countsForTier: true);
                    }
                }

                break;

            case LoyaltyOrderEventKind.Refunded:
                Bump(TotalSpentMetric, -Math.Min(e.Amount, S.Metrics.GetValueOrDefault(TotalSpentMetric)));
                if (order.Points > order.Reversed && order.OrderTotal > 0)
                {
                    var due = (int)Math.Round(order.Points * Math.Min(1m, e.Amount / order.OrderTotal), MidpointRounding.AwayFromZero);
                    // Never below zero: points already spent on rewards are not clawed back beyond the balance.
                    var reversal = Math.Min(Math.Min(due, order.Points - order.Reversed), S.Balance);
                    if (reversal > 0)
                    {
                        order.Reversed += reversal;
                        Debit(e.EventId, e.OccurredAt, "reversal", reversal, $"reembolso do pedido {e.OrderNumber}", "order", e.OrderNumber, countsForTier: true);
                    }
                }

                break;
        }

        RecomputeTier();
        EvaluateAchievements();
        return true;
    }

    public bool RecordActivity(LoyaltyActivity activity)
    {
        EnsureOpen();
        if (!S.ProcessedEvents.Add(activity.EventId))
        {
            return false;
        }

        S.LastActivity = clock.GetUtcNow();
        // The activity's own metric, and any other metric an achievement's criteria count it under.
        var metrics = catalog.Achievements.Where(a => a.Event == activity.Event && a.Attribute is null).Select(a => a.Metric)
            .Append(DefaultMetric(activity.Event)).Where(m => m.Length > 0).Distinct();
        foreach (var metric in metrics)
        {
            Bump(metric, 1);
        }

        EvaluateAchievements();
        return true;
    }

    /// <summary>The metric an activity counts under when no achievement names one.</summary>
    public static string DefaultMetric(string activityEvent) => activityEvent switch
    {
        LoyaltyActivities.ReviewApproved => "approved_reviews",
        LoyaltyActivities.CourseCompleted => "completed_courses",
        LoyaltyActivities.ReferralConverted => "converted_referrals",
        _ => activityEvent,
    };

    /// <summary>Attributes whose distinct values some achievement counts; the caller reads them for paid orders.</summary>
    public IReadOnlyList<string> CountedAttributes() =>
        catalog.Achievements.Where(a => a.IsActive && a.Attribute is not null).Select(a => a.Attribute!).Distinct().ToList();

    /// <summary>Whether anything changes with time alone: points that expire, a tier above the lowest, a coupon that lapses.</summary>
    public bool HasTimeBoundState() =>
        S.Exists && (S.Lots.Any(l => l.ExpiresAt is not null && l.Remaining > 0)
                     || S.Tier != Rules.Tiers.OrderBy(t => t.MinPoints).First().Name
                     || S.Redemptions.Any(r => r.Status is "issued" or "pending"));

    /// <summary>Expires lots past their date and moves the tier with the rolling window; true when anything changed.</summary>
    public bool Refresh()
    {
        if (!S.Exists)
        {
            return false;
        }

        var before = (S.Balance, S.Tier);
        var now = clock.GetUtcNow();
        foreach (var lot in S.Lots.Where(l => l.ExpiresAt is { } at && at <= now && l.Remaining > 0).ToList())
        {
            var points = lot.Remaining;
            lot.Remaining = 0;
            S.Balance -= points;
            Post(new PointsPosted(Guid.NewGuid(), now, "expire", -points, "pontos expirados", null, null, null), countsForTier: false);
        }

        S.Lots.RemoveAll(l => l.Remaining == 0);
        RecomputeTier();
        return before != (S.Balance, S.Tier);
    }

    public LoyaltyOutcome CanRedeem(RewardDefinition? reward)
    {
        if (reward is not { IsActive: true })
        {
            return LoyaltyOutcome.UnknownReward;
        }

        if (reward.Tiers.Count > 0 && !reward.Tiers.Contains(S.Tier, StringComparer.OrdinalIgnoreCase))
        {
            return LoyaltyOutcome.NotEligible;
        }

        return S.Balance < reward.PointsRequired ? LoyaltyOutcome.InsufficientPoints : LoyaltyOutcome.Done;
    }

    /// <summary>Takes the points and records a pending redemption; the caller issues its coupon.</summary>
    public Redemption Redeem(RewardDefinition reward)
    {
        EnsureOpen();
        var now = clock.GetUtcNow();
        var redemption = new Redemption
        {
            RedemptionId = Guid.NewGuid(),
            RewardId = reward.Id,
            Points = reward.PointsRequired,
            CouponCode = "MC-RW-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(),
            Status = "pending",
            RedeemedAt = now,
            ExpiresAt = now.AddDays(reward.ValidDays),
        };
        S.Redemptions.Add(redemption);
        S.Redeemed += reward.PointsRequired;
        S.LastActivity = now;
        Debit(redemption.RedemptionId, now, "redeem", reward.PointsRequired, reward.Name, "reward_redemption", null, countsForTier: false);
        Emit(new RedemptionChanged(Guid.NewGuid(), now, redemption.RedemptionId, reward.Name));
        return redemption;
    }

    public void SetRedemptionStatus(Redemption redemption, string status, string rewardName)
    {
        if (redemption.Status == status)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (status == "cancelled")
        {
            // The coupon could not be issued: the points go back.
            S.Redeemed -= redemption.Points;
            S.Balance += redemption.Points;
            S.Lots.Add(new PointsLot { At = now, ExpiresAt = ExpiryFrom(now), Remaining = redemption.Points });
            Post(new PointsPosted(Guid.NewGuid(), now, "adjust", redemption.Points, "resgate cancelado: " + rewardName, "reward_redemption", null, null), countsForTier: false);
        }

        redemption.Status = status;
        Emit(new RedemptionChanged(Guid.NewGuid(), now, redemption.RedemptionId, rewardName));
    }

    public LoyaltyOutcome Claim(AchievementDefinition? achievement)
    {
        if (achievement is null)
        {
            return LoyaltyOutcome.UnknownAchievement;
        }

        if (!S.Achievements.TryGetValue(achievement.Id, out var earned))
        {
            return LoyaltyOutcome.NotEarned;
        }

        if (earned.ClaimedAt is not null)
        {
            return LoyaltyOutcome.AlreadyClaimed;
        }

        var now = clock.GetUtcNow();
        earned.ClaimedAt = now;
        S.LastActivity = now;
        if (achievement.PointsReward > 0)
        {
            Credit(Guid.NewGuid(), now, "bonus", achievement.PointsReward, "conquista: " + achievement.Name, "achievement", null, achievement.Id, countsForTier: false);
        }

        Emit(new AchievementClaimedEvent(Guid.NewGuid(), now, achievement.Id));
        return LoyaltyOutcome.Done;
    }

    public LoyaltyOutcome Adjust(int points, string reason)
    {
        EnsureOpen();
        if (points == 0 || S.Balance + points < 0)
        {
            return LoyaltyOutcome.Invalid;
        }

        var now = clock.GetUtcNow();
        S.LastActivity = now;
        if (points > 0)
        {
            Credit(Guid.NewGuid(), now, "adjust", points, reason, "manual", null, null, countsForTier: false);
        }
        else
        {
            Debit(Guid.NewGuid(), now, "adjust", -points, reason, "manual", null, countsForTier: false);
        }

        return LoyaltyOutcome.Done;
    }

    public int WindowPoints()
    {
        var from = clock.GetUtcNow().AddMonths(-Rules.WindowMonths);
        return Math.Max(0, S.Entries.Where(e => e.CountsForTier && e.At > from).Sum(e => e.Points));
    }

    public LoyaltyTier CurrentTier() =>
        Rules.Tiers.FirstOrDefault(t => t.Name == S.Tier) ?? Rules.Tiers.OrderBy(t => t.MinPoints).First();

    public LoyaltyTier? NextTier() => Rules.Tiers.Where(t => t.MinPoints > CurrentTier().MinPoints).OrderBy(t => t.MinPoints).FirstOrDefault();

    public IEnumerable<AchievementProgress> Progress() => catalog.Achievements.Where(a => a.IsActive || S.Achievements.ContainsKey(a.Id)).Select(a =>
    {
        S.Achievements.TryGetValue(a.Id, out var earned);
        return new AchievementProgress(a.Id, a.Name, MetricValue(a), a.Target, a.PointsReward, earned?.EarnedAt, earned?.ClaimedAt);
    });

    private void RecomputeTier()
    {
        var window = WindowPoints();
        var tier = Rules.Tiers.Where(t => t.MinPoints <= window).OrderByDescending(t => t.MinPoints).FirstOrDefault()
                   ?? Rules.Tiers.OrderBy(t => t.MinPoints).First();
        if (tier.Name != S.Tier)
        {
            var from = S.Tier;
            S.Tier = tier.Name;
            Emit(new TierChanged(Guid.NewGuid(), clock.GetUtcNow(), from, tier.Name));
        }
    }

    private void EvaluateAchievements()
    {
        foreach (var achievement in catalog.Achievements.Where(a => a.IsActive && !S.Achievements.ContainsKey(a.Id)))
        {
            if (achievement.IsMetBy(MetricValue(achievement)))
            {
                var now = clock.GetUtcNow();
                S.Achievements[achievement.Id] = new EarnedAchievement { EarnedAt = now };
                Emit(new AchievementEarnedEvent(Guid.NewGuid(), now, achievement.Id, achievement.Name));
            }
        }
    }

    private decimal MetricValue(AchievementDefinition achievement) => achievement.Attribute is { } attribute
        ? S.AttributeValues.GetValueOrDefault(attribute)?.Count ?? 0
        : S.Metrics.GetValueOrDefault(achievement.Metric);

    private void Bump(string metric, decimal by) => S.Metrics[metric] = S.Metrics.GetValueOrDefault(metric) + by;

    private void Credit(Guid eventId, DateTimeOffset at, string type, int points, string reason, string? referenceType, string? orderNumber, long? referenceId, bool countsForTier)
    {
        S.Balance += points;
        S.Earned += points;
        S.Lots.Add(new PointsLot { At = at, ExpiresAt = ExpiryFrom(at), Remaining = points });
        Post(new PointsPosted(eventId, at, type, points, reason, referenceType, orderNumber, referenceId), countsForTier);
    }

    /// <summary>Takes points from the lots that expire first, so that expiry takes only what was never spent.</summary>
    private void Debit(Guid eventId, DateTimeOffset at, string type, int points, string reason, string? referenceType, string? orderNumber, bool countsForTier)
    {
        S.Balance -= points;
        var left = points;
        foreach (var lot in S.Lots.OrderBy(l => l.ExpiresAt ?? DateTimeOffset.MaxValue))
        {
            var take = Math.Min(left, lot.Remaining);
            lot.Remaining -= take;
            left -= take;
            if (left == 0)
            {
                break;
            }
        }

        S.Lots.RemoveAll(l => l.Remaining == 0);
        Post(new PointsPosted(eventId, at, type, -points, reason, referenceType, orderNumber, null), countsForTier);
    }

    private DateTimeOffset? ExpiryFrom(DateTimeOffset at) => Rules.PointsExpireMonths is { } months ? at.AddMonths(months) : null;

    private void Post(PointsPosted posted, bool countsForTier)
    {
        S.Entries.Add(new PointsEntry(posted.EventId, posted.OccurredAt, posted.Type, posted.Points, posted.Reason, countsForTier));
        Emit(posted);
    }

    private void Emit(LoyaltyEvent loyaltyEvent)
    {
        S.Version++;
        S.Outbox.Add(loyaltyEvent);
    }
}
