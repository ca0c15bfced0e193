using MestresCafe.Data.Orders;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// The course enrolments an order's events change, written by <see cref="OrderProjection"/> in the
/// transaction that projects the events (<see cref="CourseEnrollmentSql"/>): paid enrols the buyer in
/// every course the order sells; refunded in full, or cancelled after payment, takes them back. A
/// partial refund leaves access as it is.
/// </summary>
public static class OrderCourseFeed
{
    public static IReadOnlyList<CourseAccessChange> From(OrderState state, IReadOnlyList<OrderEvent> events)
    {
        if (state.UserId <= 0)
        {
            return [];
        }

        var changes = new List<CourseAccessChange>();
        foreach (var orderEvent in events)
        {
            switch (orderEvent)
            {
                case OrderStatusChanged { To: OrderStatus.Paid }:
                    changes.Add(new CourseAccessChange(state.UserId, Grant: true));
                    break;
                case OrderStatusChanged { To: OrderStatus.Refunded }:
                case OrderStatusChanged { To: OrderStatus.Cancelled, From: OrderStatus.Paid or OrderStatus.Processing }:
                    changes.Add(new CourseAccessChange(state.UserId, Grant: false));
                    break;
            }
        }

        return changes;
    }
}
