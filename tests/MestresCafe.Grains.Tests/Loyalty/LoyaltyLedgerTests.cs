using MestresCafe.Grains.Loyalty;
using MestresCafe.Loyalty;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Grains.Tests.Loyalty;

/// <summary>The account's rules without a cluster: earning, reversal, the rolling-window tier, expiry.</summary>
public sealed class LoyaltyLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly LoyaltyRules Rules = new(1m, "paid",
        [new("Bronze", 0, 1m), new("Prata", 1000, 1.25m), new("Ouro", 5000, 1.5m)], 12, 24);

    private readonly FakeTimeProvider _clock = new(Start);
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
    public void A_refresh_before_the_expiry_date_changes_nothing_and_one_at_it_expires_the_points()
    {
        _ledger.ApplyOrder(Paid("A", 600m));
        var earned = _state.Balance;
        var expiry = Start.AddMonths(Rules.PointsExpireMonths!.Value);

        _clock.SetUtcNow(expiry - TimeSpan.FromSeconds(1));
        Assert.False(_ledger.Refresh());
        Assert.Equal(600, earned);
        Assert.Equal(earned, _state.Balance);

        _clock.SetUtcNow(expiry);
        Assert.True(_ledger.Refresh());
        Assert.Equal(0, _state.Balance);
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

    [Fact]
    public void A_cancelled_order_takes_back_its_points_and_everything_it_counted_towards_achievements()
    {
        _ledger.ApplyOrder(Paid("A", 80m, total: 95m), [("Origem", "Sul de Minas (MG)")]);
        _ledger.ApplyOrder(Paid("B", 20m, total: 35m), [("Origem", "Sul de Minas (MG)"), ("Origem", "Mogiana (SP)")]);

        Assert.True(_ledger.ApplyOrder(Cancelled("B", 20m, total: 35m)));

        Assert.Equal(80, _state.Balance);
        Assert.Equal((1m, 80m), (_state.Metrics[LoyaltyLedger.PaidOrdersMetric], _state.Metrics[LoyaltyLedger.TotalSpentMetric]));
        Assert.Equal(["Sul de Minas (MG)"], _state.AttributeValues["Origem"]);
        Assert.Equal(("reversal", -20, "cancelamento do pedido B"), (_state.Entries[^1].Type, _state.Entries[^1].Points, _state.Entries[^1].Reason));
    }

    [Fact]
    public void A_partial_refund_keeps_the_order_counted_and_takes_its_share_of_the_amount_spent()
    {
        _ledger.ApplyOrder(Paid("A", 100m, total: 120m));

        _ledger.ApplyOrder(Refund("A", 30m, total: 120m));
        _ledger.ApplyOrder(Refund("A", 30m, total: 120m));

        Assert.Equal(50, _state.Balance); // a quarter, then half of the 100 points: never a rounding more
        Assert.Equal((1m, 50m), (_state.Metrics[LoyaltyLedger.PaidOrdersMetric], _state.Metrics[LoyaltyLedger.TotalSpentMetric]));

        _ledger.ApplyOrder(Refund("A", 60m, total: 120m));
        Assert.Equal((0, 0m, 0m), (_state.Balance, _state.Metrics[LoyaltyLedger.PaidOrdersMetric], _state.Metrics[LoyaltyLedger.TotalSpentMetric]));
    }

    [Fact]
    public void Points_already_spent_become_a_clawback_debt_that_the_next_earnings_pay_first()
    {
        var reward = new RewardDefinition(1, "R$ 10", "discount", 500, 10m, "fixed_amount", 0, 30, [], [], [], true);
        _ledger.ApplyOrder(Paid("A", 600m));
        _ledger.Redeem(reward);
        var refund = Refund("A", 600m, total: 600m);

        _ledger.ApplyOrder(refund);
        Assert.False(_ledger.ApplyOrder(refund));

        Assert.Equal((0, 500, 500), (_state.Balance, _state.Debt, _state.Redeemed));
        Assert.Equal("reembolso do pedido A (500 pontos a descontar dos próximos ganhos)", _state.Entries[^1].Reason);

        _ledger.ApplyOrder(Paid("B", 300m));
        Assert.Equal((0, 200), (_state.Balance, _state.Debt));
        _ledger.ApplyOrder(Paid("C", 250m));
        Assert.Equal((50, 0), (_state.Balance, _state.Debt));

        var posted = _state.Outbox.OfType<PointsPosted>().ToList();
        Assert.Equal(_state.Balance, posted.Sum(p => p.Points));
        Assert.Equal([-300, -200], posted.Where(p => p.Type == "clawback").Select(p => p.Points));
        Assert.All(posted.Where(p => p.Type == "clawback"), p => Assert.Equal(("estorno pendente: reembolso do pedido A", "A"), (p.Reason, p.OrderNumber)));
        Assert.Equal(50, _state.Lots.Sum(l => l.Remaining));
    }

    [Fact]
    public void A_reversal_owed_rather_than_taken_still_takes_the_order_off_the_tier()
    {
        _ledger.ApplyOrder(Paid("A", 1200m));
        _ledger.Redeem(new RewardDefinition(2, "R$ 30", "discount", 1000, 30m, "fixed_amount", 0, 30, [], [], [], true));
        Assert.Equal("Prata", _state.Tier);

        _ledger.ApplyOrder(Cancelled("A", 1200m, total: 1200m));

        Assert.Equal((0, 1000, "Bronze"), (_state.Balance, _state.Debt, _state.Tier));
        Assert.Equal(0, _ledger.WindowPoints());
    }

    [Fact]
    public void A_claimed_achievement_that_falls_back_gives_back_its_points_and_cannot_be_claimed_again()
    {
        var first = new AchievementDefinition(7, "Primeiro pedido", LoyaltyLedger.PaidOrdersMetric, 1, false, 100, true);
        _ledger.ApplyOrder(Paid("A", 50m));
        Assert.Equal(LoyaltyOutcome.Done, _ledger.Claim(first));
        _ledger.Redeem(new RewardDefinition(3, "Frete", "free_shipping", 120, null, null, 0, 30, [], [], [], true));

        _ledger.ApplyOrder(Cancelled("A", 50m, total: 50m));

        // 30 points were left: the order's 50 and the claim's 100 take them and owe the rest.
        Assert.Equal((0, 120), (_state.Balance, _state.Debt));
        Assert.Equal(LoyaltyOutcome.AlreadyClaimed, _ledger.Claim(first));
        var progress = _ledger.Progress().Single();
        Assert.Equal((0m, (DateTimeOffset?)null), (progress.Current, progress.EarnedAt));
        Assert.NotNull(progress.ClaimedAt);
        Assert.NotNull(progress.RevokedAt);
        Assert.Single(_state.Outbox.OfType<AchievementRevokedEvent>());

        // Reached again by a real order: earned again with its points, which pay the debt; still claimed once.
        _ledger.ApplyOrder(Paid("B", 40m));
        Assert.Equal((20, 0), (_state.Balance, _state.Debt));
        Assert.Equal(LoyaltyOutcome.AlreadyClaimed, _ledger.Claim(first));
        Assert.NotNull(_ledger.Progress().Single().EarnedAt);
        Assert.Equal(_state.Balance, _state.Outbox.OfType<PointsPosted>().Sum(p => p.Points));
    }

    [Fact]
    public void Buying_claiming_and_cancelling_over_and_over_farms_nothing()
    {
        var first = new AchievementDefinition(7, "Primeiro pedido", LoyaltyLedger.PaidOrdersMetric, 1, false, 100, true);
        var claims = new List<LoyaltyOutcome>();
        for (var round = 0; round < 3; round++)
        {
            _ledger.ApplyOrder(Paid($"F{round}", 50m));
            claims.Add(_ledger.Claim(first));
            _ledger.ApplyOrder(Cancelled($"F{round}", 50m, total: 50m));
            Assert.Equal((0, 0), (_state.Balance, _state.Debt));
        }

        Assert.Equal([LoyaltyOutcome.Done, LoyaltyOutcome.AlreadyClaimed, LoyaltyOutcome.AlreadyClaimed], claims);
        Assert.Equal(0m, _state.Metrics[LoyaltyLedger.PaidOrdersMetric]);
    }

    [Fact]
    public void An_unclaimed_achievement_that_falls_back_is_not_claimable_until_it_is_reached_again()
    {
        var origins = new AchievementDefinition(9, "Duas origens", "distinct_origins", 2, false, 40, true) { Attribute = "Origem" };
        var ledger = new LoyaltyLedger(_state, new LoyaltyCatalog(1, Rules, [], [origins]), _clock);
        ledger.ApplyOrder(Paid("A", 10m), [("Origem", "Cerrado Mineiro (MG)"), ("Origem", "Sul de Minas (MG)")]);
        ledger.ApplyOrder(Paid("B", 10m), [("Origem", "Cerrado Mineiro (MG)")]);

        ledger.ApplyOrder(Refund("A", 10m, total: 10m));

        Assert.Equal(1m, ledger.Progress().Single().Current);
        Assert.Equal(LoyaltyOutcome.NotEarned, ledger.Claim(origins));
        ledger.ApplyOrder(Paid("C", 10m), [("Origem", "Mogiana (SP)")]);
        Assert.Equal(LoyaltyOutcome.Done, ledger.Claim(origins));
        Assert.Equal(LoyaltyOutcome.AlreadyClaimed, ledger.Claim(origins));
        Assert.Equal(20 + 40, _state.Balance);
    }

    [Fact]
    public void A_reversal_of_an_order_the_account_never_counted_changes_nothing()
    {
        Assert.False(_ledger.ApplyOrder(Refund("LATE", 50m, total: 50m)));
        Assert.False(_ledger.ApplyOrder(Cancelled("LATE", 50m, total: 50m)));

        Assert.False(_state.Exists);
        Assert.Empty(_state.Outbox);
    }

    [Fact]
    public void Earning_on_delivery_earns_nothing_for_an_order_cancelled_before_and_the_unrefunded_share_after_a_partial_refund()
    {
        var onDelivery = new LoyaltyLedger(_state, new LoyaltyCatalog(1, Rules with { EarnOn = "delivered" }, [], []), _clock);
        onDelivery.ApplyOrder(Paid("A", 100m));
        onDelivery.ApplyOrder(Cancelled("A", 100m, total: 100m));
        onDelivery.ApplyOrder(Paid("B", 100m));
        onDelivery.ApplyOrder(Refund("B", 25m, total: 100m));

        onDelivery.ApplyOrder(Delivered("A", 100m));
        onDelivery.ApplyOrder(Delivered("B", 100m));

        Assert.Equal(75, _state.Balance);
        Assert.Equal(0, _state.Debt);
    }

    private LoyaltyOrderEvent Paid(string order, decimal amount, decimal? total = null) =>
        new(Guid.NewGuid(), _clock.GetUtcNow(), LoyaltyOrderEventKind.Paid, order, amount, total ?? amount);

    private LoyaltyOrderEvent Refund(string order, decimal amount, decimal total) =>
        new(Guid.NewGuid(), _clock.GetUtcNow(), LoyaltyOrderEventKind.Refunded, order, amount, total);

    private LoyaltyOrderEvent Cancelled(string order, decimal amount, decimal total) =>
        new(Guid.NewGuid(), _clock.GetUtcNow(), LoyaltyOrderEventKind.Cancelled, order, amount, total);

    private LoyaltyOrderEvent Delivered(string order, decimal amount) =>
        new(Guid.NewGuid(), _clock.GetUtcNow(), LoyaltyOrderEventKind.Delivered, order, amount, amount);
}
