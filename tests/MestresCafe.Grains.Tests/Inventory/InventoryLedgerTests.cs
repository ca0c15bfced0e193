using MestresCafe.Grains.Inventory;
using MestresCafe.Inventory;

namespace MestresCafe.Grains.Tests.Inventory;

public sealed class InventoryLedgerTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    private InventoryLedger NewLedger(int stock)
    {
        var ledger = new InventoryLedger(new InventoryItemState(), _clock);
        ledger.Restock(stock, "initial");
        return ledger;
    }

    [Fact]
    public void Reservation_beyond_available_stock_is_rejected()
    {
        var ledger = NewLedger(5);

        var result = ledger.Reserve(Guid.NewGuid(), 6, _clock.GetUtcNow().AddMinutes(15));

        Assert.Equal(ReservationOutcome.InsufficientStock, result.Outcome);
        Assert.Equal(5, ledger.State.Available);
        Assert.Equal(0, ledger.State.Reserved);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Reservation_of_zero_or_negative_quantity_is_invalid(int quantity)
    {
        var ledger = NewLedger(5);

        Assert.Equal(ReservationOutcome.InvalidQuantity, ledger.Reserve(Guid.NewGuid(), quantity, _clock.GetUtcNow().AddMinutes(1)).Outcome);
        Assert.Equal(5, ledger.State.Available);
    }

    [Fact]
    public void Reserving_twice_with_one_id_takes_stock_once()
    {
        var ledger = NewLedger(5);
        var id = Guid.NewGuid();

        ledger.Reserve(id, 2, _clock.GetUtcNow().AddMinutes(1));
        ledger.Reserve(id, 2, _clock.GetUtcNow().AddMinutes(1));

        Assert.Equal(3, ledger.State.Available);
        Assert.Equal(2, ledger.State.Reserved);
    }

    [Fact]
    public void Commit_moves_reserved_to_sold_once()
    {
        var ledger = NewLedger(5);
        var id = Guid.NewGuid();
        ledger.Reserve(id, 2, _clock.GetUtcNow().AddMinutes(1));

        Assert.Equal(CommitOutcome.Committed, ledger.Commit(id).Outcome);
        Assert.Equal(CommitOutcome.AlreadyCommitted, ledger.Commit(id).Outcome);
        Assert.Equal((3, 0, 2), (ledger.State.Available, ledger.State.Reserved, ledger.State.Sold));
        Assert.False(ledger.Release(id));
    }

    [Fact]
    public void Expired_reservations_return_to_available_and_live_ones_stay()
    {
        var ledger = NewLedger(10);
        ledger.Reserve(Guid.NewGuid(), 3, _clock.GetUtcNow().AddSeconds(5));
        ledger.Reserve(Guid.NewGuid(), 4, _clock.GetUtcNow().AddSeconds(60));

        _clock.Advance(TimeSpan.FromSeconds(6));
        var expired = ledger.ExpireDue();

        Assert.Equal(1, expired);
        Assert.Equal((6, 4), (ledger.State.Available, ledger.State.Reserved));
        Assert.Equal(InventoryMovementType.Expire, ledger.State.Outbox[^1].Type);
    }

    [Fact]
    public void Every_change_is_recorded_in_the_outbox_with_a_rising_version()
    {
        var ledger = NewLedger(10);
        var id = Guid.NewGuid();
        ledger.Reserve(id, 3, _clock.GetUtcNow().AddSeconds(5));
        ledger.Commit(id);

        Assert.Equal([InventoryMovementType.Restock, InventoryMovementType.Reserve, InventoryMovementType.Commit], ledger.State.Outbox.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L], ledger.State.Outbox.Select(e => e.Version));
        Assert.Equal(ledger.State.Received, ledger.State.Available + ledger.State.Reserved + ledger.State.Sold);
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
