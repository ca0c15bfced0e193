using MestresCafe.Grains.Inventory;
using MestresCafe.Grains.Orders;
using MestresCafe.Inventory;
using MestresCafe.Orders;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>The caps on what unpaid orders may hold: the inventory ledger counts holds per customer.</summary>
public sealed class StockHoldRulesTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private static readonly CustomerHoldLimit Ana = new(CustomerUserId: 41, MaxUnits: 20);
    private static readonly CustomerHoldLimit Bia = new(CustomerUserId: 42, MaxUnits: 20);

    private InventoryLedger NewLedger(int stock)
    {
        var ledger = new InventoryLedger(new InventoryItemState(), _clock);
        ledger.Restock(stock, "initial");
        return ledger;
    }

    [Fact]
    public void A_customer_cannot_hold_more_than_the_cap_across_unpaid_reservations()
    {
        var ledger = NewLedger(100);
        var until = _clock.GetUtcNow().AddHours(1);

        Assert.True(ledger.Reserve(Guid.NewGuid(), 10, until, Ana).Succeeded);
        Assert.True(ledger.Reserve(Guid.NewGuid(), 10, until, Ana).Succeeded);
        var third = ledger.Reserve(Guid.NewGuid(), 1, until, Ana);

        Assert.Equal(ReservationOutcome.CustomerLimitReached, third.Outcome);
        Assert.True(ledger.Reserve(Guid.NewGuid(), 10, until, Bia).Succeeded);
        Assert.Equal(20, ledger.HeldBy(Ana.CustomerUserId));
        Assert.Equal(70, ledger.State.Available);
    }

    [Fact]
    public void Paid_released_and_expired_holds_stop_counting()
    {
        var ledger = NewLedger(100);
        var paid = Guid.NewGuid();
        var cancelled = Guid.NewGuid();
        ledger.Reserve(paid, 10, _clock.GetUtcNow().AddHours(1), Ana);
        ledger.Reserve(cancelled, 5, _clock.GetUtcNow().AddHours(1), Ana);
        ledger.Reserve(Guid.NewGuid(), 5, _clock.GetUtcNow().AddMinutes(5), Ana);

        ledger.Commit(paid);
        ledger.Release(cancelled);
        _clock.Advance(TimeSpan.FromMinutes(6));
        ledger.ExpireDue();

        Assert.Equal(0, ledger.HeldBy(Ana.CustomerUserId));
        Assert.True(ledger.Reserve(Guid.NewGuid(), 20, _clock.GetUtcNow().AddHours(1), Ana).Succeeded);
    }

    [Fact]
    public void Holds_per_customer_are_rebuilt_from_the_log_and_from_the_snapshot()
    {
        var ledger = NewLedger(100);
        ledger.Reserve(Guid.NewGuid(), 15, _clock.GetUtcNow().AddHours(1), Ana);
        var movements = ledger.State.Outbox.ToList();

        var replayed = new InventoryLedger(new InventoryItemState(), _clock);
        replayed.Replay(movements);
        var fromSnapshot = new InventoryLedger(ledger.State, _clock);

        Assert.Equal(15, replayed.HeldBy(Ana.CustomerUserId));
        Assert.Equal(15, fromSnapshot.HeldBy(Ana.CustomerUserId));
        Assert.Equal(ReservationOutcome.CustomerLimitReached, fromSnapshot.Reserve(Guid.NewGuid(), 6, _clock.GetUtcNow().AddHours(1), Ana).Outcome);
    }

    [Fact]
    public void Boleto_holds_stock_for_hours_while_other_methods_hold_for_their_window()
    {
        var options = new StockHoldOptions();

        Assert.Equal(TimeSpan.FromHours(4), options.HoldFor(PaymentMethodKind.Boleto, TimeSpan.FromDays(3)));
        Assert.Equal(TimeSpan.FromMinutes(30), options.HoldFor(PaymentMethodKind.Pix, TimeSpan.FromMinutes(30)));
        Assert.Equal(TimeSpan.FromHours(1), options.HoldFor(PaymentMethodKind.Boleto, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Caps_that_would_let_nothing_be_bought_are_refused_at_start()
    {
        var validator = new StockHoldOptions.Validator();

        Assert.True(validator.Validate(null, new StockHoldOptions()).Succeeded);
        Assert.True(validator.Validate(null, new StockHoldOptions { MaxUnitsPerOrderLine = 0 }).Failed);
        Assert.True(validator.Validate(null, new StockHoldOptions { MaxUnitsPerCustomer = 5 }).Failed);
        Assert.True(validator.Validate(null, new StockHoldOptions { BoletoStockHold = TimeSpan.Zero }).Failed);
    }
}
