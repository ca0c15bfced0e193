using MestresCafe.Inventory;
using MestresCafe.LoadTest.Invariants;
using Xunit;

namespace MestresCafe.LoadTest.Tests;

public sealed class InvariantCheckerTests
{
    private static InvariantHistory History(
        ItemFigures? item = null,
        AcknowledgedReservation[]? reservations = null,
        AcknowledgedOrder[]? orders = null,
        CouponFigures[]? coupons = null) => new(
            [item ?? new ItemFigures("grain", "CAFE-1", 10, 0, 4, 3, 3, 6)],
            reservations ?? [new("CAFE-1@CD-SP", Guid.NewGuid(), ReservationState.Active)],
            orders ?? [new("MC-1", 1)],
            coupons ?? [new("CARGA10", 5, 1, 2, 2, new Dictionary<long, int> { [1] = 1, [2] = 1 })]);

    [Fact]
    public void A_consistent_history_passes() => Assert.True(InvariantChecker.Check(History()).Passed);

    [Fact]
    public void An_oversell_fails()
    {
        // 12 units told they succeeded against 10 in stock, with the figures made to add up.
        var summary = InvariantChecker.Check(History(new ItemFigures("grain", "CAFE-1", 10, 0, 0, 4, 6, 12)));
        Assert.False(summary.Passed);
        Assert.Contains(summary.Violations, v => v.Contains("oversold", StringComparison.Ordinal));
    }

    [Fact]
    public void Stock_that_does_not_add_up_or_goes_negative_fails()
    {
        Assert.False(InvariantChecker.Check(History(new ItemFigures("table", "CAFE-1", 10, 0, 5, 3, 3, 6))).Passed);
        Assert.False(InvariantChecker.Check(History(new ItemFigures("table", "CAFE-1", 10, 0, -1, 5, 6, 6))).Passed);
    }

    [Fact]
    public void A_lost_acknowledged_reservation_fails()
    {
        var summary = InvariantChecker.Check(History(reservations: [new("CAFE-1@CD-SP", Guid.NewGuid(), ReservationState.None)]));
        Assert.False(summary.Passed);
        Assert.Contains(summary.Violations, v => v.Contains("acknowledged and is gone", StringComparison.Ordinal));
    }

    [Fact]
    public void Acknowledged_units_missing_from_the_item_fail()
    {
        // Clients hold 6 units but the grain shows only 4 reserved or sold.
        Assert.False(InvariantChecker.Check(History(new ItemFigures("grain", "CAFE-1", 10, 0, 6, 2, 2, 6))).Passed);
    }

    [Fact]
    public void A_lost_or_duplicated_order_fails()
    {
        Assert.False(InvariantChecker.Check(History(orders: [new("MC-1", 0)])).Passed);
        Assert.False(InvariantChecker.Check(History(orders: [new("MC-1", 2)])).Passed);
    }

    [Fact]
    public void Coupon_uses_beyond_a_limit_fail()
    {
        Assert.False(InvariantChecker.Check(History(coupons: [new("CARGA10", 1, null, 2, 2, new Dictionary<long, int>())])).Passed);
        Assert.False(InvariantChecker.Check(History(coupons: [new("CARGA10", null, 1, 2, 2, new Dictionary<long, int> { [7] = 2 })])).Passed);
        Assert.False(InvariantChecker.Check(History(coupons: [new("CARGA10", null, null, 3, 2, new Dictionary<long, int>())])).Passed);
    }

    private static InvariantHistory WithLoyalty(OrderPoints[] orders, AccountPoints[] accounts) =>
        History() with { OrderPoints = orders, Accounts = accounts };

    private static readonly AccountPoints[] ConsistentAccount = [new("table", 7, 120, 120), new("grain", 7, 120, 0)];

    [Fact]
    public void Consistent_loyalty_points_pass() =>
        Assert.True(InvariantChecker.Check(WithLoyalty([new("MC-1", true, 1, 120, 0), new("MC-2", false, 0, 0, 0)], ConsistentAccount)).Passed);

    [Fact]
    public void A_paid_order_without_its_points_or_with_them_twice_fails()
    {
        var lost = InvariantChecker.Check(WithLoyalty([new("MC-1", true, 0, 0, 0)], ConsistentAccount));
        Assert.False(lost.Passed);
        Assert.Contains(lost.Violations, v => v.Contains("points lost or counted twice", StringComparison.Ordinal));
        Assert.False(InvariantChecker.Check(WithLoyalty([new("MC-1", true, 2, 240, 0)], ConsistentAccount)).Passed);
    }

    [Fact]
    public void Points_for_an_unpaid_order_or_reversed_beyond_what_was_earned_fail()
    {
        Assert.False(InvariantChecker.Check(WithLoyalty([new("MC-2", false, 1, 50, 0)], ConsistentAccount)).Passed);
        Assert.False(InvariantChecker.Check(WithLoyalty([new("MC-1", true, 1, 100, 150)], ConsistentAccount)).Passed);
    }

    [Fact]
    public void A_balance_that_its_transactions_or_its_grain_do_not_explain_fails()
    {
        Assert.False(InvariantChecker.Check(WithLoyalty([], [new("table", 7, 130, 120), new("grain", 7, 130, 0)])).Passed);
        Assert.False(InvariantChecker.Check(WithLoyalty([], [new("table", 7, 120, 120), new("grain", 7, 240, 0)])).Passed);
    }
}
