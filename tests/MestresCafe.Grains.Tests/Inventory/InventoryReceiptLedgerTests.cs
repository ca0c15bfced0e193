using MestresCafe.Grains.Inventory;
using MestresCafe.Inventory;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Grains.Tests.Inventory;

/// <summary>Goods received at a unit cost (purchase order receipts) and reorder levels, on the ledger alone.</summary>
public sealed class InventoryReceiptLedgerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private InventoryLedger NewLedger(int stock, decimal cost)
    {
        var ledger = new InventoryLedger(new InventoryItemState { CostPrice = cost, Initialized = true }, _clock);
        if (stock > 0)
        {
            ledger.Restock(stock, "initial");
        }

        return ledger;
    }

    private static StockReceipt Receipt(int quantity, decimal unitCost, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), quantity, unitCost, "purchase_order", 7, "NF 123", 1);

    [Fact]
    public void A_receipt_moves_the_cost_to_the_weighted_average_of_the_units_on_hand()
    {
        var ledger = NewLedger(10, 20m);
        ledger.Reserve(Guid.NewGuid(), 2, _clock.GetUtcNow().AddMinutes(10));

        Assert.True(ledger.Receive(Receipt(30, 24m)));

        // (10 on hand x 20 + 30 x 24) / 40 = 23, reserved units are still on hand.
        Assert.Equal(23m, ledger.State.CostPrice);
        Assert.Equal((38, 2, 40), (ledger.State.Available, ledger.State.Reserved, ledger.State.Received));
        var movement = ledger.State.Outbox[^1];
        Assert.Equal(("purchase_order", 7L, 24m), (movement.ReferenceType, movement.ReferenceId!.Value, movement.UnitCost!.Value));
    }

    [Fact]
    public void Sold_units_do_not_weigh_in_the_average_and_an_empty_item_takes_the_unit_cost()
    {
        var ledger = NewLedger(3, 10m);
        var sale = Guid.NewGuid();
        ledger.Reserve(sale, 3, _clock.GetUtcNow().AddMinutes(10));
        ledger.Commit(sale);

        ledger.Receive(Receipt(5, 12.5m));

        Assert.Equal(12.5m, ledger.State.CostPrice);
    }

    [Theory]
    [InlineData(1, 10, 2, 11, 10.67)]
    [InlineData(3, 0, 1, 1, 0.25)]
    [InlineData(0, 99, 4, 7.35, 7.35)]
    public void The_weighted_average_is_rounded_to_the_cent(int onHand, decimal cost, int quantity, decimal unitCost, decimal expected) =>
        Assert.Equal(expected, InventoryLedger.WeightedAverageCost(onHand, cost, quantity, unitCost));

    [Fact]
    public void A_receipt_retried_with_its_operation_id_adds_nothing()
    {
        var ledger = NewLedger(0, 0m);
        var id = Guid.NewGuid();

        Assert.True(ledger.Receive(Receipt(6, 9m, id)));
        Assert.False(ledger.Receive(Receipt(6, 9m, id)));

        Assert.Equal((6, 6, 9m), (ledger.State.Available, ledger.State.Received, ledger.State.CostPrice));
        Assert.Single(ledger.State.Outbox);
    }

    [Fact]
    public void Reorder_levels_are_a_logged_change_that_replays_and_moves_no_stock()
    {
        var ledger = NewLedger(4, 5m);

        Assert.True(ledger.SetReorderLevels(6, 24, 3));
        Assert.False(ledger.SetReorderLevels(6, 24, 3));

        var replayed = new InventoryLedger(new InventoryItemState { CostPrice = 5m, Initialized = true }, _clock);
        replayed.Replay(ledger.TakeUnlogged());
        Assert.Equal((6, 24, 4), (replayed.State.ReorderPoint, replayed.State.ReorderQuantity, replayed.State.Available));
        Assert.Equal(ledger.State.Version, replayed.State.Version);
    }

    [Fact]
    public void Replaying_a_receipt_rebuilds_the_cost()
    {
        var ledger = NewLedger(10, 20m);
        ledger.Receive(Receipt(10, 30m));

        var replayed = new InventoryLedger(new InventoryItemState { CostPrice = 20m, Initialized = true }, _clock);
        replayed.Replay(ledger.TakeUnlogged());

        Assert.Equal((25m, 20), (replayed.State.CostPrice, replayed.State.Available));
    }
}
