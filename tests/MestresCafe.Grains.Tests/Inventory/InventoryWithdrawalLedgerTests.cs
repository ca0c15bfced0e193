using MestresCafe.Grains.Inventory;
using MestresCafe.Inventory;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Grains.Tests.Inventory;

/// <summary>Units withdrawn for a transfer to another location, on the ledger alone.</summary>
public sealed class InventoryWithdrawalLedgerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private static StockWithdrawal Withdrawal(Guid id, int quantity) => new(id, quantity, "transfer", 9, "CD-SP → CD-MG", 1);

    [Fact]
    public void A_withdrawal_takes_available_units_once_per_operation_and_survives_a_replay()
    {
        var ledger = new InventoryLedger(new InventoryItemState { Initialized = true }, _clock);
        ledger.Restock(10, "initial");
        var id = Guid.NewGuid();

        Assert.Equal((true, AdjustmentOutcome.Adjusted), ledger.Withdraw(Withdrawal(id, 4)));
        Assert.Equal((false, AdjustmentOutcome.Adjusted), ledger.Withdraw(Withdrawal(id, 4)));
        Assert.Equal((6, 4, 10), (ledger.State.Available, ledger.State.WrittenOff, ledger.State.Received));
        var movement = ledger.State.Outbox[^1];
        Assert.Equal((InventoryMovementType.TransferOut, "transfer", 9L), (movement.Type, movement.ReferenceType, movement.ReferenceId!.Value));

        // An activation replaying the log remembers the operation.
        var replayed = new InventoryLedger(new InventoryItemState { Initialized = true }, _clock);
        replayed.Replay(ledger.TakeUnlogged());
        Assert.Equal((false, AdjustmentOutcome.Adjusted), replayed.Withdraw(Withdrawal(id, 4)));
        Assert.Equal(6, replayed.State.Available);
    }

    [Fact]
    public void A_withdrawal_of_more_than_is_available_or_of_nothing_is_refused_and_changes_nothing()
    {
        var ledger = new InventoryLedger(new InventoryItemState { Initialized = true }, _clock);
        ledger.Restock(3, "initial");
        ledger.Reserve(Guid.NewGuid(), 2, _clock.GetUtcNow().AddMinutes(10));
        var version = ledger.State.Version;

        Assert.Equal((false, AdjustmentOutcome.InsufficientStock), ledger.Withdraw(Withdrawal(Guid.NewGuid(), 2)));
        Assert.Equal((false, AdjustmentOutcome.InvalidQuantity), ledger.Withdraw(Withdrawal(Guid.NewGuid(), 0)));
        Assert.Equal((1, 2, version), (ledger.State.Available, ledger.State.Reserved, ledger.State.Version));
    }
}
