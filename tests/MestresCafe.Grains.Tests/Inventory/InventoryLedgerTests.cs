using MestresCafe.Grains.Inventory;
using MestresCafe.Inventory;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Grains.Tests.Inventory;

public sealed class InventoryLedgerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

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
    public void Reserving_again_with_one_id_for_another_quantity_holds_the_new_quantity_if_the_stock_allows()
    {
        var ledger = NewLedger(5);
        var id = Guid.NewGuid();
        var until = _clock.GetUtcNow().AddMinutes(1);
        ledger.Reserve(id, 1, until);

        Assert.Equal(ReservationOutcome.Reserved, ledger.Reserve(id, 3, until).Outcome);
        Assert.Equal((2, 3, 3), (ledger.State.Available, ledger.State.Reserved, ledger.State.Reservations[id].Quantity));

        Assert.Equal(ReservationOutcome.InsufficientStock, ledger.Reserve(id, 6, until).Outcome);
        Assert.Equal((2, 3), (ledger.State.Available, ledger.State.Reserved));

        Assert.Equal(ReservationOutcome.Reserved, ledger.Reserve(id, 2, until).Outcome);
        Assert.Equal(new CommitResult(CommitOutcome.Committed, 2), ledger.Commit(id));
        Assert.Equal((3, 0, 2), (ledger.State.Available, ledger.State.Reserved, ledger.State.Sold));
        // Committed: a late retry of any quantity changes nothing.
        Assert.Equal(ReservationOutcome.Reserved, ledger.Reserve(id, 4, until).Outcome);
        Assert.Equal((3, 0, 2), (ledger.State.Available, ledger.State.Reserved, ledger.State.Sold));
    }

    [Fact]
    public void A_resized_hold_counts_once_towards_the_customers_limit()
    {
        var ledger = NewLedger(50);
        var id = Guid.NewGuid();
        var until = _clock.GetUtcNow().AddMinutes(1);
        var limit = new CustomerHoldLimit(7, 4);
        ledger.Reserve(id, 3, until, limit);

        Assert.Equal(ReservationOutcome.Reserved, ledger.Reserve(id, 4, until, limit).Outcome);
        Assert.Equal(4, ledger.HeldBy(7));
        Assert.Equal(ReservationOutcome.CustomerLimitReached, ledger.Reserve(id, 5, until, limit).Outcome);
        Assert.Equal(4, ledger.HeldBy(7));
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

    [Fact]
    public void Replaying_the_logged_movements_rebuilds_the_state_including_expiry_commits_and_operations()
    {
        var ledger = NewLedger(50);
        var (kept, committed, released, expiring) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var restock = Guid.NewGuid();
        ledger.Reserve(kept, 4, _clock.GetUtcNow().AddMinutes(30));
        ledger.Reserve(committed, 3, _clock.GetUtcNow().AddMinutes(30));
        ledger.Reserve(released, 2, _clock.GetUtcNow().AddMinutes(30));
        ledger.Reserve(expiring, 5, _clock.GetUtcNow().AddSeconds(5));
        ledger.Commit(committed);
        ledger.Release(released);
        _clock.Advance(TimeSpan.FromSeconds(6));
        ledger.ExpireDue();
        ledger.Restock(7, "return", operationId: restock);
        ledger.Adjust(-2, "damage", null, null);
        var log = ledger.TakeUnlogged();

        var replayed = new InventoryLedger(new InventoryItemState(), _clock);
        replayed.Replay(log.Take(5));
        replayed.Replay(log); // records overlapping what the state holds are skipped

        Assert.Equal(Figures(ledger.State), Figures(replayed.State));
        Assert.Equal(ledger.State.Reservations, replayed.State.Reservations);
        Assert.Equal(ledger.State.Committed, replayed.State.Committed);
        Assert.Equal(ledger.State.CommitHistory, replayed.State.CommitHistory);
        Assert.Equal(ledger.State.AppliedOperations, replayed.State.AppliedOperations);
        Assert.Equal(new[] { kept }, replayed.State.Reservations.Keys);
        Assert.False(replayed.Restock(7, "return", operationId: restock));
        Assert.Empty(ledger.TakeUnlogged());
    }

    [Fact]
    public void Committed_ids_are_forgotten_once_the_retention_has_passed()
    {
        var ledger = new InventoryLedger(new InventoryItemState(), _clock, committedRetention: TimeSpan.FromHours(1));
        ledger.Restock(10, "initial");
        var (old, recent) = (Guid.NewGuid(), Guid.NewGuid());
        ledger.Reserve(old, 1, _clock.GetUtcNow().AddMinutes(30));
        ledger.Reserve(recent, 1, _clock.GetUtcNow().AddHours(3));
        ledger.Commit(old);
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(CommitOutcome.AlreadyCommitted, ledger.Commit(old).Outcome);

        _clock.Advance(TimeSpan.FromMinutes(45));
        ledger.Commit(recent);

        Assert.Equal(new[] { recent }, ledger.State.Committed.Keys);
        Assert.Equal(new[] { recent }, ledger.State.CommitHistory.Select(c => c.ReservationId));
        Assert.Equal(2, ledger.State.Sold);
    }

    [Fact]
    public void Commits_stored_before_commit_times_were_kept_are_dated_on_load()
    {
        var state = new InventoryItemState { Committed = { [Guid.NewGuid()] = 1 } };
        var ledger = new InventoryLedger(state, _clock, committedRetention: TimeSpan.FromHours(1));

        ledger.DateUndatedCommits(_clock.GetUtcNow());

        Assert.Equal(state.Committed.Keys, state.CommitHistory.Select(c => c.ReservationId));
    }

    [Fact]
    public void Coming_back_in_stock_and_reaching_the_reorder_point_are_flagged_once_per_crossing()
    {
        var ledger = NewLedger(3);
        ledger.SetReorderLevels(2, 10, null);
        ledger.Reserve(Guid.NewGuid(), 1, _clock.GetUtcNow().AddMinutes(5));
        ledger.Reserve(Guid.NewGuid(), 1, _clock.GetUtcNow().AddMinutes(5));
        var last = Guid.NewGuid();
        ledger.Reserve(last, 1, _clock.GetUtcNow().AddMinutes(5));
        ledger.Release(last);
        ledger.Reserve(Guid.NewGuid(), 1, _clock.GetUtcNow().AddMinutes(5));
        ledger.Restock(5, "receipt");
        ledger.Restock(5, "receipt");

        var movements = ledger.State.Outbox;
        // The first stock came in; 3 → 2 reached the point (once, not again at 1 or 0); 0 → 1 (the release) and 0 → 5 came back.
        Assert.Equal([3, 3, 2, 1, 0, 1, 0, 5, 10], movements.Select(m => m.AvailableAfter));
        Assert.Equal([false, false, true, false, false, false, false, false, false], movements.Select(m => m.ReachedReorderPoint));
        Assert.Equal([true, false, false, false, false, true, false, true, false], movements.Select(m => m.CameBackInStock));
    }

    private static (int, int, int, int, int, long, int) Figures(InventoryItemState s) =>
        (s.Available, s.Reserved, s.Sold, s.Received, s.WrittenOff, s.Version, s.Outbox.Count);
}
