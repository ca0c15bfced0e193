namespace MestresCafe.Inventory;

/// <summary>Why stock was adjusted by hand: the list the stock_adjustments table's CHECK holds.</summary>
public static class StockAdjustmentReasons
{
    public static readonly IReadOnlyList<string> All =
        ["inventory_count", "damaged", "expired", "lost", "theft", "sample", "internal_use", "supplier_return", "other"];
}
