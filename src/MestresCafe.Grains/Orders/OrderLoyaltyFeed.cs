using MestresCafe.Loyalty;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// Translates an order's outbox events into the loyalty contract (Abstractions) and delivers each
/// to the customer's account. The order calls it before it removes the events from its outbox and
/// the account acknowledges only after its state write, so every event reaches the account at least
/// once, across crashes (a failure leaves the events in the outbox and the pump calls again); each
/// carries the outbox event's id, which the account uses to count it once. The order side knows
/// loyalty's contract; loyalty knows nothing of orders.
/// </summary>
public static class OrderLoyaltyFeed
{
    public static async Task DeliverAsync(IGrainFactory grains, string orderNumber, OrderState state, IReadOnlyList<OrderEvent> events)
    {
        var loyaltyEvents = From(orderNumber, state, events).ToList();
        if (loyaltyEvents.Count == 0 || state.UserId <= 0)
        {
            return;
        }

        var account = grains.GetGrain<ILoyaltyAccountGrain>(state.UserId);
        foreach (var loyaltyEvent in loyaltyEvents)
        {
            // In order, one at a time: the account applies an event only after the ones before it.
            await account.ApplyOrderEventAsync(loyaltyEvent);
        }
    }

    public static IEnumerable<LoyaltyOrderEvent> From(string orderNumber, OrderState state, IEnumerable<OrderEvent> events)
    {
        var earning = LoyaltyEarning.EarningAmount(state.Totals.Subtotal, state.Totals.Discount);
        var paid = state.Payment?.Amount ?? state.Totals.Total;
        foreach (var orderEvent in events)
        {
            switch (orderEvent)
            {
                case OrderStatusChanged { To: OrderStatus.Paid } changed:
                    yield return new(changed.EventId, changed.OccurredAt, LoyaltyOrderEventKind.Paid, orderNumber, earning, paid)
                    {
                        ProductIds = state.Lines.Select(l => l.ProductId).Distinct().ToList(),
                    };
                    break;
                case OrderStatusChanged { To: OrderStatus.Delivered } changed:
                    yield return new(changed.EventId, changed.OccurredAt, LoyaltyOrderEventKind.Delivered, orderNumber, earning, paid);
                    break;
                // Cancelling a paid order reverses it in full, whatever its refund events carried.
                case OrderStatusChanged { To: OrderStatus.Cancelled } changed when state.PaidAt is not null:
                    yield return new(changed.EventId, changed.OccurredAt, LoyaltyOrderEventKind.Cancelled, orderNumber, earning, paid);
                    break;
                case OrderRefunded refunded:
                    yield return new(refunded.EventId, refunded.OccurredAt, LoyaltyOrderEventKind.Refunded, orderNumber, refunded.Amount, paid);
                    break;
            }
        }
    }
}
