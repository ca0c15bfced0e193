using MestresCafe.Coupons;
using MestresCafe.Grains.Projections;
using MestresCafe.Loyalty;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Loyalty;

/// <summary>
/// A customer's loyalty account. Not reentrant: every event, redemption, claim and adjustment runs
/// alone against the balance and is acknowledged only after the state write that contains it, so
/// two redemptions can never both spend the same points. Order events arrive at least once, called
/// by the order until this account acknowledges them; the processed event ids make a redelivery a no-op.
/// An account with something time-bound keeps a reminder, so that an idle customer's points still
/// expire and their tier still drops on time.
/// </summary>
public sealed class LoyaltyAccountGrain(
    [PersistentState("loyalty", StorageNames.Store)] IPersistentState<LoyaltyState> state,
    LoyaltyCatalogReader catalogReader,
    LoyaltyProjection projection,
    TimeProvider clock,
    IOptions<LoyaltyOptions> options,
    ILogger<LoyaltyAccountGrain> logger) : Grain, ILoyaltyAccountGrain, IRemindable
{
    private const int HistoryShown = 50;
    private const string CheckReminder = "loyalty-check";
    // Whether this activation knows the reminder exists; checked once, then kept in step.
    private bool? _reminderRegistered;
    private OutboxPump<LoyaltyEvent> _pump = null!;
    private LoyaltyCatalog _catalog = null!;
    private LoyaltyLedger _ledger = null!;

    private LoyaltyState S => state.State;
    private long UserId => this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await SyncCatalogAsync();
        _pump = new OutboxPump<LoyaltyEvent>(this, Outbox.For(projection, UserId, () => S, () => S.Exists, () => S.Outbox), logger);
        if (S.Outbox.Count > 0)
        {
            _pump.Schedule();
        }

        // A crash between taking the points and issuing the coupon leaves a pending redemption: finish it.
        if (S.Redemptions.Any(r => r.Status == "pending"))
        {
            this.RegisterGrainTimer(_ => IssuePendingAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }
    }

    public async Task<LoyaltyAccountSnapshot> GetAsync()
    {
        await SyncCatalogAsync();
        await RefreshAsync();
        return Snapshot();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CheckReminder)
        {
            return;
        }

        await SyncCatalogAsync();
        await RefreshAsync();
        await KeepReminderAsync();
    }

    public async Task<LoyaltyAccountSnapshot> ApplyOrderEventAsync(LoyaltyOrderEvent orderEvent)
    {
        await SyncCatalogAsync();
        if (_catalog.ProgramId == 0)
        {
            // Without a program there is nothing to earn; failing would only make the order retry forever.
            logger.LogWarning("No active loyalty program: order event {Event} for user {User} not applied", orderEvent.EventId, UserId);
            return Snapshot();
        }

        _ledger.Refresh();
        var attributes = orderEvent.Kind == LoyaltyOrderEventKind.Paid && !S.ProcessedEvents.Contains(orderEvent.EventId)
            ? await catalogReader.AttributeValuesAsync(orderEvent.ProductIds, _ledger.CountedAttributes())
            : [];
        if (_ledger.ApplyOrder(orderEvent, attributes))
        {
            await PersistAsync();
        }

        return Snapshot();
    }

    public async Task<LoyaltyAccountSnapshot> RecordActivityAsync(LoyaltyActivity activity)
    {
        await SyncCatalogAsync();
        if (_catalog.ProgramId != 0 && _ledger.RecordActivity(activity))
        {
            await PersistAsync();
        }

        return Snapshot();
    }

    public async Task<LoyaltyResult> RedeemAsync(long rewardId)
    {
        await SyncCatalogAsync();
        if (_catalog.ProgramId == 0)
        {
            return Fail(LoyaltyOutcome.Unavailable, "No loyalty program is active.");
        }

        _ledger.Refresh();
        var reward = _catalog.Reward(rewardId);
        var check = _ledger.CanRedeem(reward);
        if (check != LoyaltyOutcome.Done)
        {
            return Fail(check, check switch
            {
                LoyaltyOutcome.UnknownReward => "No such reward.",
                LoyaltyOutcome.NotEligible => "The reward is not available for your tier.",
                _ => $"The reward needs {reward!.PointsRequired} points; the balance is {S.Balance}.",
            });
        }

        // The points leave the balance in a committed write before the coupon exists, so a crash
        // in between can only leave a pending redemption (finished on the next activation), never a free coupon.
        var redemption = _ledger.Redeem(reward!);
        await PersistAsync();
        await IssueAsync(redemption, reward!);
        await PersistAsync();
        return redemption.Status == "issued"
            ? new LoyaltyResult(LoyaltyOutcome.Done, null, Info(redemption), Snapshot())
            : Fail(LoyaltyOutcome.Unavailable, "The reward could not be issued; the points were returned.");
    }

    public async Task<LoyaltyResult> ClaimAchievementAsync(long achievementId)
    {
        await SyncCatalogAsync();
        var outcome = _ledger.Claim(_catalog.Achievement(achievementId));
        if (outcome != LoyaltyOutcome.Done)
        {
            return Fail(outcome, outcome switch
            {
                LoyaltyOutcome.UnknownAchievement => "No such achievement.",
                LoyaltyOutcome.NotEarned => "The achievement has not been earned yet.",
                _ => "The achievement was already claimed.",
            });
        }

        _ledger.Refresh();
        await PersistAsync();
        return new LoyaltyResult(LoyaltyOutcome.Done, null, null, Snapshot());
    }

    public async Task<LoyaltyResult> AdjustAsync(int points, string reason, long byUserId)
    {
        await SyncCatalogAsync();
        if (_catalog.ProgramId == 0)
        {
            return Fail(LoyaltyOutcome.Unavailable, "No loyalty program is active.");
        }

        _ledger.Refresh();
        var outcome = _ledger.Adjust(points, $"{reason} (por {byUserId})");
        if (outcome != LoyaltyOutcome.Done)
        {
            return Fail(outcome, "The adjustment must be non-zero and cannot take the balance below zero.");
        }

        await PersistAsync();
        return new LoyaltyResult(LoyaltyOutcome.Done, null, null, Snapshot());
    }

    private async Task IssuePendingAsync()
    {
        foreach (var redemption in S.Redemptions.Where(r => r.Status == "pending").ToList())
        {
            if (_catalog.Reward(redemption.RewardId) is { } reward)
            {
                await IssueAsync(redemption, reward);
            }
        }

        await PersistAsync();
    }

    /// <summary>
    /// Defines the single-use coupon. Its code is fixed when the points are taken, so issuing again
    /// after a crash redefines the same coupon rather than creating a second one.
    /// </summary>
    private async Task IssueAsync(Redemption redemption, RewardDefinition reward)
    {
        var definition = RewardCoupons.Definition(reward, redemption, UserId);
        try
        {
            if (definition is not null)
            {
                await GrainFactory.GetGrain<ICouponGrain>(redemption.CouponCode!).DefineAsync(definition);
            }

            _ledger.SetRedemptionStatus(redemption, "issued", reward.Name);
        }
        catch (CouponDefinitionException error)
        {
            logger.LogError(error, "Reward {Reward} cannot be issued as a coupon; redemption {Redemption} cancelled", reward.Id, redemption.RedemptionId);
            _ledger.SetRedemptionStatus(redemption, "cancelled", reward.Name);
        }
    }

    /// <summary>Issued coupons past their date become used (the coupon counted a use) or expired.</summary>
    private async Task<bool> SettleExpiredRedemptionsAsync()
    {
        var changed = false;
        foreach (var redemption in S.Redemptions.Where(r => r.Status == "issued" && r.ExpiresAt <= clock.GetUtcNow()).ToList())
        {
            var coupon = redemption.CouponCode is { } code ? await GrainFactory.GetGrain<ICouponGrain>(code).GetAsync() : null;
            var name = _catalog.Reward(redemption.RewardId)?.Name ?? "recompensa";
            _ledger.SetRedemptionStatus(redemption, coupon is { UsedCount: > 0 } ? "used" : "expired", name);
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// Takes the program's current rules, rewards and achievements (cached for a few seconds per
    /// server), so that a back-office change reaches accounts that are already running.
    /// </summary>
    private async Task SyncCatalogAsync()
    {
        var latest = await catalogReader.GetAsync() ?? LoyaltyCatalog.Empty;
        if (!ReferenceEquals(latest, _catalog))
        {
            _catalog = latest;
            _ledger = new LoyaltyLedger(S, _catalog, clock);
        }
    }

    /// <summary>Expires points, moves the tier with the window and settles lapsed reward coupons.</summary>
    private async Task RefreshAsync()
    {
        if (_ledger.Refresh() | await SettleExpiredRedemptionsAsync())
        {
            await PersistAsync();
        }
    }

    private async Task PersistAsync()
    {
        await state.WriteOrDeactivateAsync(_pump, DeactivateOnIdle);
        if (S.Outbox.Count > 0)
        {
            _pump.Schedule();
        }

        await KeepReminderAsync();
    }

    /// <summary>
    /// Registers the periodic check while the account holds anything that changes with time alone,
    /// and drops it when nothing does, so that idle empty accounts cost no wake-ups. The state that
    /// needs it is already durable: a failure here is logged and retried on the next change or tick.
    /// </summary>
    private async Task KeepReminderAsync()
    {
        var needed = _ledger.HasTimeBoundState();
        try
        {
            _reminderRegistered ??= await this.GetReminder(CheckReminder) is not null;
            if (needed && _reminderRegistered == false)
            {
                var every = options.Value.CheckEvery;
                await this.RegisterOrUpdateReminder(CheckReminder, every, every);
                _reminderRegistered = true;
            }
            else if (!needed && _reminderRegistered == true && await this.GetReminder(CheckReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
                _reminderRegistered = false;
            }
        }
        catch (Exception error)
        {
            _reminderRegistered = null;
            logger.LogWarning(error, "Could not keep the check reminder of loyalty account {User}", UserId);
        }
    }

    private LoyaltyResult Fail(LoyaltyOutcome outcome, string detail) => new(outcome, detail, null, null);

    private LoyaltyAccountSnapshot Snapshot()
    {
        var next = _ledger.NextTier();
        var window = _ledger.WindowPoints();
        return new LoyaltyAccountSnapshot(
            UserId, S.Balance, S.Earned, S.Redeemed, S.Exists ? S.Tier : _catalog.Rules.Tiers[0].Name, next?.Name,
            next is null ? 0 : Math.Max(0, next.MinPoints - window), window,
            S.Exists ? S.JoinedAt : null, S.LastActivity,
            S.Entries.TakeLast(HistoryShown).Reverse().Select(e => new LoyaltyHistoryEntry(e.EventId, e.At, e.Type, e.Points, e.Reason)).ToList(),
            S.Redemptions.Select(Info).ToList(),
            _ledger.Progress().ToList(),
            S.Version) { ClawbackDebt = S.Debt };
    }

    private static RedemptionInfo Info(Redemption r) => new(r.RedemptionId, r.RewardId, r.Points, r.CouponCode, r.Status, r.RedeemedAt, r.ExpiresAt);
}
