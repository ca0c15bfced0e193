using MestresCafe.Customers;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

public sealed partial class OrderGrain
{
    /// <summary>A customer group's conditions refused the order before anything was held: kept for retries and answered.</summary>
    private async Task<CheckoutResult> RejectOnGroupAsync(CheckoutCommand command, (GroupConditionRefusal Refusal, string Detail) unmet)
    {
        var refused = _order.RejectOnGroup(command, unmet);
        await PersistAsync();
        return refused;
    }
}
