using MestresCafe.Grains.Orders;
using MestresCafe.Loyalty;
using MestresCafe.Orders;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace MestresCafe.Grains.Loyalty;

/// <summary>
/// Turns an order's outbox events into loyalty events on the customer's stream (for every consumer)
/// and confirms each with the account. The order calls it before it removes the events from its
/// outbox, so every event reaches the account at least once; each carries the outbox event's id,
/// which the account uses to count it once.
/// </summary>
public static class OrderLoyaltyFeed
{
    public static async Task PublishAsync(Grain order, string orderNumber, OrderState state, IReadOnlyList<OrderEvent> events)
    {
        var loyaltyEvents = From(orderNumber, state, events).ToList();
        if (loyaltyEvents.Count == 0 || state.UserId <= 0)
        {
            return;
        }

        var stream = order.GetStreamProvider(LoyaltyStreams.Provider).GetStream<LoyaltyOrderEvent>(LoyaltyStreams.ForUser(state.UserId));
        var account = order.GrainContext.ActivationServices.GetRequiredService<IGrainFactory>().GetGrain<ILoyaltyAccountGrain>(state.UserId);
        foreach (var loyaltyEvent in loyaltyEvents)
        {
            await stream.OnNextAsync(loyaltyEvent);
            // A memory stream acknowledges when the event is queued, not when it is applied, and its
            // queue dies with its silo. The account's own acknowledgement (after its state write) is
            // what lets the order drop the event; the stream's copy then arrives as a duplicate.
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
