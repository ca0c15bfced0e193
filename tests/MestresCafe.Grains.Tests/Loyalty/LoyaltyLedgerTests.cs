using MestresCafe.Grains.Loyalty;
using MestresCafe.Grains.Tests.Coupons;
using MestresCafe.Loyalty;

namespace MestresCafe.Grains.Tests.Loyalty;

/// <summary>The account's rules without a cluster: earning, reversal, the rolling-window tier, expiry.</summary>
public sealed class LoyaltyLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly LoyaltyRules Rules = new(1m, "paid",
        [new("Bronze", 0, 1m), new("Prata", 1000, 1.25m), new("Ouro", 5000, 1.5m)], 12, 24);

    private readonly ManualClock _clock = new(Start);
    private readonly LoyaltyState _state = new();
    private readonly LoyaltyLedger _ledger;

    public LoyaltyLedgerTests() =>
        _ledger = new LoyaltyLedger(_state, new LoyaltyCatalog(1, Rules, [],
            [new AchievementDefinition(7, "Primeiro pedido", LoyaltyLedger.PaidOrdersMetric, 1, false, 100, true)]), _clock);

    [Fact]
    public void A_paid_order_earns_points_per_brl_at_the_tier_multiplier()
    {
        _ledger.ApplyOrder(Paid("A", 800m));
        _ledger.ApplyOrder(Paid("B", 400m)); // 1200 in the window: Prata from here on

        _ledger.ApplyOrder(Paid("C", 100m));

        Assert.Equal(800 + 400 + 125, _state.Balance);
        Assert.Equal("Prata", _state.Tier);
    }

    [Fact]
    public void The_same_event_applied_twice_counts_once()
    {
        var paid = Paid("A", 120m);

        Assert.True(_ledger.ApplyOrder(paid));
        Assert.False(_ledger.ApplyOrder(paid));

        Assert.Equal(120, _state.Balance);
        Assert.Equal(1, _state.Metrics[LoyaltyLedger.PaidOrdersMetric]);
    }

    [Fact]
    public void A_partial_refund_reverses_points_in_proportion_and_never_more_than_earned()
    {
        _ledger.ApplyOrder(Paid("A", 200m, total: 200m));

        _ledger.ApplyOrder(Refund("A", 50m, total: 200m));
        Assert.Equal(150, _state.Balance);

        _ledger.ApplyOrder(Refund("A", 200m, total: 200m));
        Assert.Equal(0, _state.Balance);
        Assert.Equal(200, _state.Earned);
        Assert.Equal([200, -50, -150], _state.Entries.Select(e => e.Points));
    }

    [Fact]
    public void The_tier_goes_up_with_the_window_and_down_when_points_leave_it()
    {
        _ledger.ApplyOrder(Paid("A", 1200m));
        Assert.Equal("Prata", _state.Tier);

        _clock.Advance(TimeSpan.FromDays(200));
        _ledger.ApplyOrder(Paid("B", 300m));
        Assert.Equal("Prata", _state.Tier);

        _clock.Advance(TimeSpan.FromDays(170)); // A left the 12-month window; only B's 375 remain
        Assert.True(_ledger.Refresh());

        Assert.Equal("Bronze", _state.Tier);
        Assert.Equal(2, _state.Outbox.OfType<TierChanged>().Count());
        Assert.Equal(1200 + 375, _state.Balance); // a downgrade keeps the points
    }

    [Fact]
    public void Points_expire_after_the_program_period_except_what_was_spent()
    {
        _ledger.ApplyOrder(Paid("A", 600m));
        var reward = new RewardDefinition(1, "R$ 10", "discount", 500, 10m, "fixed_amount", 0, 30, [], [], [], true);
        _ledger.Redeem(reward);

        _clock.Advance(TimeSpan.FromDays(2 * 366));
        _ledger.Refresh();

        Assert.Equal(0, _state.Balance);
        Assert.Equal(-100, _state.Entries.Last().Points);
        Assert.Equal("expire", _state.Entries.Last().Type);
    }

    [Fact]
    public void Redemption_needs_the_balance_and_an_achievement_is_earned_and_claimed_once()
    {
        var reward = new RewardDefinition(1, "R$ 10", "discount", 500, 10m, "fixed_amount", 0, 30, [], [], [], true);
        Assert.Equal(LoyaltyOutcome.InsufficientPoints, _ledger.CanRedeem(reward));
        Assert.Equal(LoyaltyOutcome.UnknownReward, _ledger.CanRedeem(null));

        _ledger.ApplyOrder(Paid("A", 450m));
        _ledger.ApplyOrder(Paid("B", 10m));
        var achievement = new AchievementDefinition(7, "Primeiro pedido", LoyaltyLedger.PaidOrdersMetric, 1, false, 100, true);

        Assert.Single(_state.Outbox.OfType<AchievementEarnedEvent>());
        Assert.Equal(LoyaltyOutcome.Done, _ledger.Claim(achievement));
        Assert.Equal(LoyaltyOutcome.AlreadyClaimed, _ledger.Claim(achievement));
        Assert.Equal(560, _state.Balance);
        Assert.Equal(LoyaltyOutcome.Done, _ledger.CanRedeem(reward));
    }

    [Fact]
    public void An_activity_counts_once_under_the_metric_its_achievement_criteria_name()
    {
        var referral = new AchievementDefinition(8, "Embaixador", "friends_referred", 2, false, 300, true) { Event = LoyaltyActivities.ReferralConverted };
        var ledger = new LoyaltyLedger(_state, new LoyaltyCatalog(1, Rules, [], [referral]), _clock);
        var first = new LoyaltyActivity(LoyaltyActivities.EventIdFor(LoyaltyActivities.ReferralConverted, 41), _clock.GetUtcNow(), LoyaltyActivities.ReferralConverted);

        Assert.True(ledger.RecordActivity(first));
        Assert.False(ledger.RecordActivity(first with { OccurredAt = _clock.GetUtcNow().AddMinutes(1) }));
        Assert.Empty(_state.Outbox.OfType<AchievementEarnedEvent>());

        Assert.True(ledger.RecordActivity(first with { EventId = LoyaltyActivities.EventIdFor(LoyaltyActivities.ReferralConverted, 42) }));

        Assert.Equal(2, _state.Metrics["friends_referred"]);
        Assert.Equal(2, _state.Metrics["converted_referrals"]);
        Assert.Single(_state.Outbox.OfType<AchievementEarnedEvent>());
        Assert.Equal(LoyaltyOutcome.Done, ledger.Claim(referral));
        Assert.Equal(300, _state.Balance);
    }

    [Fact]
    public void Distinct_attribute_values_of_paid_orders_earn_an_origins_achievement_once()
    {
        var origins = new AchievementDefinition(9, "Três origens", "distinct_origins", 3, false, 250, true) { Attribute = "Origem" };
        var ledger = new LoyaltyLedger(_state, new LoyaltyCatalog(1, Rules, [], [origins]), _clock);

        ledger.ApplyOrder(Paid("A", 10m), [("Origem", "Cerrado Mineiro (MG)"), ("Origem", "Sul de Minas (MG)")]);
        ledger.ApplyOrder(Paid("B", 10m), [("Origem", "Cerrado Mineiro (MG)")]);
        Assert.Equal(2m, ledger.Progress().Single().Current);
        Assert.Empty(_state.Outbox.OfType<AchievementEarnedEvent>());

        ledger.ApplyOrder(Paid("C", 10m), [("Origem", "Caparaó (MG/ES)")]);
        ledger.ApplyOrder(Paid("D", 10m), [("Origem", "Chapada Diamantina (BA)")]);

        Assert.Equal(["Origem"], ledger.CountedAttributes());
        Assert.Equal(4m, ledger.Progress().Single().Current);
        Assert.Single(_state.Outbox.OfType<AchievementEarnedEvent>());
    }

    private LoyaltyOrderEvent Paid(string order, decimal amount, decimal? total = null) =>
        new(Guid.NewGuid(), _clock.GetUtcNow(), LoyaltyOrderEventKind.Paid, order, amount, total ?? amount);

    private LoyaltyOrderEvent Refund(string order, decimal amount, decimal total) =>
        new(Guid.NewGuid(), _clock.GetUtcNow(), LoyaltyOrderEventKind.Refunded, order, amount, total);
}
