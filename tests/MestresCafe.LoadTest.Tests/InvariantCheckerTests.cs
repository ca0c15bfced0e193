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
}
