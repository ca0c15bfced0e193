using MestresCafe.Loyalty;

namespace MestresCafe.Grains.Loyalty;

/// <summary>
/// The rules of one loyalty account over its state, without persistence: earning, proportional
/// reversal, tier over the rolling window, expiry, redemption, achievements. Every change records
/// its events in the state's outbox. Points are spent and expired oldest first.
/// A refunded or cancelled order takes back what it earned and what it counted towards achievements.
/// The balance never goes below zero: what a reversal cannot take because it was spent becomes a
/// clawback debt that the next credited points pay first, as airline programs do.
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
    /// Applies an order event once; false when its id was seen before, or when it reverses an order
    /// this account never counted. Attribute values are those of the order's products (read by the
    /// caller) for distinct-value achievements.
    /// </summary>
    public bool ApplyOrder(LoyaltyOrderEvent e, IReadOnlyList<(string Attribute, string Value)>? attributeValues = null)
    {
        var reverses = e.Kind is LoyaltyOrderEventKind.Refunded or LoyaltyOrderEventKind.Cancelled;
        if (reverses && !S.Orders.ContainsKey(e.OrderNumber))
        {
            // Never paid while the program ran (e.g. a late capture refunded at once): nothing to take back.
            return false;
        }

        EnsureOpen();
        if (!S.ProcessedEvents.Add(e.EventId))
        {
            return false;
        }

        S.LastActivity = clock.GetUtcNow();
        var order = S.Orders.TryGetValue(e.OrderNumber, out var known) ? known : S.Orders[e.OrderNumber] = new OrderPoints();
        var progressBefore = HeldProgress();
        switch (e.Kind)
        {
            case LoyaltyOrderEventKind.Paid or LoyaltyOrderEventKind.Delivered:
                if (e.Kind == LoyaltyOrderEventKind.Paid && !order.Counted)
                {
                    order.Counted = true;
                    order.OrderTotal = e.OrderTotal;
                    order.Spent = e.Amount;
                    order.Attributes = [];
                    Bump(PaidOrdersMetric, 1);
                    Bump(TotalSpentMetric, e.Amount);
                    foreach (var (attribute, value) in attributeValues ?? [])
                    {
                        (S.AttributeValues.TryGetValue(attribute, out var seen) ? seen : S.AttributeValues[attribute] = []).Add(value);
                        (order.Attributes.TryGetValue(attribute, out var mine) ? mine : order.Attributes[attribute] = []).Add(value);
                    }
                }

                var earnsNow = string.Equals(Rules.EarnOn, "delivered", StringComparison.OrdinalIgnoreCase)
                    ? e.Kind == LoyaltyOrderEventKind.Delivered
                    : e.Kind == LoyaltyOrderEventKind.Paid;
                if (earnsNow && order.Points == 0 && !order.Withdrawn)
                {
                    if (order.OrderTotal == 0)
                    {
                        order.OrderTotal = e.OrderTotal;
                    }

                    var points = LoyaltyEarning.Points(e.Amount, Rules.PointsPerBrl, CurrentTier().Multiplier);
                    if (points > 0)
                    {
                        order.Points = points;
                        Credit(e.EventId, e.OccurredAt, "earn", points, $"pedido {e.OrderNumber}", "order", e.OrderNumber, null, countsForTier: true);
                        // Earned on delivery after a partial refund: the refunded share goes back at once.
                        Reverse(order, e, Guid.NewGuid());
                    }
                }

                break;

            case LoyaltyOrderEventKind.Refunded:
                order.RefundedAmount += e.Amount;
                Reverse(order, e, e.EventId);
                break;

            case LoyaltyOrderEventKind.Cancelled:
                order.Cancelled = true;
                Reverse(order, e, e.EventId);
                break;
        }

        RecomputeTier();
        RevokeFallenAchievements(progressBefore);
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
            Receive(new PointsPosted(Guid.NewGuid(), now, "adjust", redemption.Points, "resgate cancelado: " + rewardName, "reward_redemption", null, null));
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

        // Checked first: an achievement is claimed once, also after it fell back and was reached again.
        if (earned.ClaimedAt is not null)
        {
            return LoyaltyOutcome.AlreadyClaimed;
        }

        if (earned.RevokedAt is not null)
        {
            return LoyaltyOutcome.NotEarned;
        }

        var now = clock.GetUtcNow();
        earned.ClaimedAt = now;
        earned.ClaimedPoints = achievement.PointsReward;
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
        return Math.Max(0, S.Entries.Where(e => e.CountsForTier && e.At > from).Sum(e => e.TierPoints ?? e.Points));
    }

    public LoyaltyTier CurrentTier() =>
        Rules.Tiers.FirstOrDefault(t => t.Name == S.Tier) ?? Rules.Tiers.OrderBy(t => t.MinPoints).First();

    public LoyaltyTier? NextTier() => Rules.Tiers.Where(t => t.MinPoints > CurrentTier().MinPoints).OrderBy(t => t.MinPoints).FirstOrDefault();

    public IEnumerable<AchievementProgress> Progress() => catalog.Achievements.Where(a => a.IsActive || S.Achievements.ContainsKey(a.Id)).Select(a =>
    {
        S.Achievements.TryGetValue(a.Id, out var earned);
        return new AchievementProgress(a.Id, a.Name, MetricValue(a), a.Target, a.PointsReward,
            earned is { RevokedAt: null } ? earned.EarnedAt : null, earned?.ClaimedAt) { RevokedAt = earned?.RevokedAt };
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
        var now = clock.GetUtcNow();
        foreach (var achievement in catalog.Achievements.Where(a => a.IsActive && !S.Achievements.ContainsKey(a.Id)))
        {
            if (achievement.IsMetBy(MetricValue(achievement)))
            {
                S.Achievements[achievement.Id] = new EarnedAchievement { EarnedAt = now };
                Emit(new AchievementEarnedEvent(Guid.NewGuid(), now, achievement.Id, achievement.Name));
            }
        }

        // Reached again after a reversal: earned again, and a claim's points come back (they were
        // reversed with it), so an achievement's points are held at most once at any time.
        foreach (var (id, held) in S.Achievements.Where(a => a.Value.RevokedAt is not null))
        {
            if (catalog.Achievement(id) is not { } achievement || !achievement.IsMetBy(MetricValue(achievement)))
            {
                continue;
            }

            held.RevokedAt = null;
            held.EarnedAt = now;
            if (held.ClaimedAt is null)
            {
                Emit(new AchievementEarnedEvent(Guid.NewGuid(), now, id, achievement.Name));
            }
            else if ((held.ClaimedPoints ?? achievement.PointsReward) is > 0 and var points)
            {
                Credit(Guid.NewGuid(), now, "bonus", points, "conquista alcançada de novo: " + achievement.Name, "achievement", null, id, countsForTier: false);
            }
        }
    }

    /// <summary>The progress of every achievement the account holds, before a reversal.</summary>
    private Dictionary<long, decimal> HeldProgress() =>
        S.Achievements.Keys.Select(catalog.Achievement).OfType<AchievementDefinition>().ToDictionary(a => a.Id, MetricValue);

    /// <summary>
    /// Achievements that a reversal took back below their target: no longer earned (an unclaimed one
    /// cannot be claimed), and a claimed one gives back its points like any reversal. Only what this
    /// change lowered falls back, so a target the back office raises later takes nothing back.
    /// </summary>
    private void RevokeFallenAchievements(Dictionary<long, decimal> before)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, progress) in before)
        {
            var held = S.Achievements[id];
            var achievement = catalog.Achievement(id)!;
            var current = MetricValue(achievement);
            if (held.RevokedAt is not null || current >= progress || achievement.IsMetBy(current))
            {
                continue;
            }

            held.RevokedAt = now;
            Emit(new AchievementRevokedEvent(Guid.NewGuid(), now, id));
            if (held.ClaimedAt is not null && (held.ClaimedPoints ?? achievement.PointsReward) is > 0 and var points)
            {
                TakeBack(Guid.NewGuid(), now, points, "conquista revertida: " + achievement.Name, "achievement", null, id, countsForTier: false);
            }
        }
    }

    /// <summary>
    /// Takes back what a refunded or cancelled order earned and counted, in proportion to the amount
    /// refunded so far (all of it when cancelled or refunded in full). Cumulative, so partial refunds
    /// never round to more than the order earned, and a redelivered event finds nothing left to take.
    /// </summary>
    private void Reverse(OrderPoints order, LoyaltyOrderEvent e, Guid eventId)
    {
        var share = LoyaltyEarning.RefundedShare(order.RefundedAmount, order.OrderTotal, order.Cancelled);
        var full = share >= 1m;
        var points = LoyaltyEarning.PointsTakenBack(order.Points, share) - order.Reversed;
        if (points > 0)
        {
            order.Reversed += points;
            var reason = (order.Cancelled ? "cancelamento do pedido " : "reembolso do pedido ") + e.OrderNumber;
            TakeBack(eventId, e.OccurredAt, points, reason, "order", e.OrderNumber, null, countsForTier: true);
        }

        var spent = (full ? order.Spent : Math.Round(order.Spent * share, 2)) - order.SpentReversed;
        if (spent > 0)
        {
            order.SpentReversed += spent;
            Bump(TotalSpentMetric, -Math.Min(spent, S.Metrics.GetValueOrDefault(TotalSpentMetric)));
        }

        if (full && order.Counted && !order.Withdrawn)
        {
            order.Withdrawn = true;
            Bump(PaidOrdersMetric, -1);
            WithdrawAttributeValues(order);
        }
    }

    /// <summary>Drops the attribute values only this order counted; values another counted order also had stay.</summary>
    private void WithdrawAttributeValues(OrderPoints order)
    {
        foreach (var (attribute, values) in order.Attributes ?? [])
        {
            var seen = S.AttributeValues.GetValueOrDefault(attribute);
            foreach (var value in values)
            {
                // An order counted before its values were recorded may have had it: keep it then.
                var alsoElsewhere = S.Orders.Values.Any(o => o != order && o.Counted && !o.Withdrawn
                                                             && (o.Attributes is null || (o.Attributes.GetValueOrDefault(attribute)?.Contains(value) ?? false)));
                if (!alsoElsewhere)
                {
                    seen?.Remove(value);
                }
            }
        }
    }

    private decimal MetricValue(AchievementDefinition achievement) => achievement.Attribute is { } attribute
        ? S.AttributeValues.GetValueOrDefault(attribute)?.Count ?? 0
        : S.Metrics.GetValueOrDefault(achievement.Metric);

    private void Bump(string metric, decimal by) => S.Metrics[metric] = S.Metrics.GetValueOrDefault(metric) + by;

    private void Credit(Guid eventId, DateTimeOffset at, string type, int points, string reason, string? referenceType, string? orderNumber, long? referenceId, bool countsForTier)
    {
        S.Earned += points;
        Receive(new PointsPosted(eventId, at, type, points, reason, referenceType, orderNumber, referenceId), countsForTier);
    }

    /// <summary>
    /// Credits points, which pay the clawback debts first, oldest first (each repayment a clawback
    /// entry naming what it reverses); only what is left reaches the balance and can be spent.
    /// </summary>
    private void Receive(PointsPosted credit, bool countsForTier = false)
    {
        S.Balance += credit.Points;
        Post(credit, countsForTier);
        var left = credit.Points;
        foreach (var debt in S.Debts)
        {
            var paid = Math.Min(left, debt.Points);
            if (paid == 0)
            {
                break;
            }

            debt.Points -= paid;
            left -= paid;
            S.Balance -= paid;
            Post(new PointsPosted(Guid.NewGuid(), credit.OccurredAt, "clawback", -paid, "estorno pendente: " + debt.Reason,
                debt.ReferenceType, debt.OrderNumber, debt.ReferenceId), countsForTier: false);
        }

        S.Debts.RemoveAll(d => d.Points == 0);
        if (left > 0)
        {
            S.Lots.Add(new PointsLot { At = credit.OccurredAt, ExpiresAt = ExpiryFrom(credit.OccurredAt), Remaining = left });
        }
    }

    /// <summary>
    /// Reverses points: takes what the balance holds and records the rest as a clawback debt, so the
    /// balance never goes below zero. A reversal of order points leaves the tier window in full.
    /// </summary>
    private void TakeBack(Guid eventId, DateTimeOffset at, int points, string reason, string referenceType, string? orderNumber, long? referenceId, bool countsForTier)
    {
        var taken = Math.Min(points, S.Balance);
        var owed = points - taken;
        if (owed > 0)
        {
            S.Debts.Add(new ClawbackDebt { Points = owed, Reason = reason, ReferenceType = referenceType, OrderNumber = orderNumber, ReferenceId = referenceId, At = at });
        }

        Debit(eventId, at, "reversal", taken, owed > 0 ? $"{reason} ({owed} pontos a descontar dos próximos ganhos)" : reason,
            referenceType, orderNumber, countsForTier, referenceId, tierPoints: countsForTier ? -points : null);
    }

    /// <summary>Takes points from the lots that expire first, so that expiry takes only what was never spent.</summary>
    private void Debit(
        Guid eventId, DateTimeOffset at, string type, int points, string reason, string? referenceType, string? orderNumber,
        bool countsForTier, long? referenceId = null, int? tierPoints = null)
    {
        S.Balance -= points;
        var left = points;
        foreach (var lot in S.Lots.OrderBy(l => l.ExpiresAt ?? DateTimeOffset.MaxValue))
        {
            if (left == 0)
            {
                break;
            }

            var take = Math.Min(left, lot.Remaining);
            lot.Remaining -= take;
            left -= take;
        }

        S.Lots.RemoveAll(l => l.Remaining == 0);
        Post(new PointsPosted(eventId, at, type, -points, reason, referenceType, orderNumber, referenceId), countsForTier, tierPoints);
    }

    private DateTimeOffset? ExpiryFrom(DateTimeOffset at) => Rules.PointsExpireMonths is { } months ? at.AddMonths(months) : null;

    /// <summary>
    /// Records an entry of the history. An entry of zero points (a reversal owed in full) is still
    /// emitted, so the account row takes the new debt, but projects no loyalty_transactions row.
    /// </summary>
    private void Post(PointsPosted posted, bool countsForTier, int? tierPoints = null)
    {
        S.Entries.Add(new PointsEntry(posted.EventId, posted.OccurredAt, posted.Type, posted.Points, posted.Reason, countsForTier) { TierPoints = tierPoints });
        Emit(posted);
    }

    private void Emit(LoyaltyEvent loyaltyEvent)
    {
        S.Version++;
        S.Outbox.Add(loyaltyEvent);
    }
}
