namespace MestresCafe.Purchasing;

/// <summary>What the reorder rule looks at for one item.</summary>
public sealed record ReorderFigures(
    int Available, int OnOrder, int ReorderPoint, int ReorderQuantity, int Sold30Days, int Sold90Days, int LeadTimeDays, int MinimumOrderQuantity);

/// <summary>What the reorder rule says about one item.</summary>
public sealed record ReorderAdvice(decimal DailySales, decimal? DaysOfCover, int SuggestedQuantity)
{
    public bool ShouldReorder => SuggestedQuantity > 0;
}

/// <summary>
/// When to buy an item and how much, from its stock, what is already on order and its sales.
/// <list type="bullet">
/// <item>Daily sales: the higher of the last 30 days' and the last 90 days' averages, so that a
/// recent rise counts at once and a quiet month does not hide a seasonal item.</item>
/// <item>Days of cover: available units divided by daily sales (none without sales).</item>
/// <item>Reorder when the stock position (available plus on order) is at or below the reorder
/// point plus what sells during the supplier's lead time.</item>
/// <item>Quantity: enough for the lead time plus 30 days above the reorder point, less the
/// position; at least the item's reorder quantity and the supplier's minimum order.</item>
/// </list>
/// </summary>
public static class ReorderRule
{
    /// <summary>The days of sales an order covers beyond the lead time.</summary>
    public const int CoverDays = 30;

    public static ReorderAdvice Advise(ReorderFigures item)
    {
        var daily = Math.Round(Math.Max(item.Sold30Days / 30m, item.Sold90Days / 90m), 2);
        decimal? cover = daily > 0 ? Math.Round(item.Available / daily, 1) : null;
        var position = item.Available + item.OnOrder;
        var leadTimeDemand = (int)Math.Ceiling(daily * item.LeadTimeDays);
        if ((item.ReorderPoint == 0 && daily == 0) || position > item.ReorderPoint + leadTimeDemand)
        {
            return new ReorderAdvice(daily, cover, 0);
        }

        var target = item.ReorderPoint + (int)Math.Ceiling(daily * (item.LeadTimeDays + CoverDays));
        var quantity = Math.Max(Math.Max(target - position, item.ReorderQuantity), Math.Max(item.MinimumOrderQuantity, 1));
        return new ReorderAdvice(daily, cover, quantity);
    }
}
