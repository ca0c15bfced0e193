using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>The order status machine and the money rules, free of Orleans.</summary>
public static class OrderRules
{
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Allowed = new()
    {
        // An invoiced order ("faturado") is confirmed at checkout, unpaid: straight to processing.
        [OrderStatus.Pending] = [OrderStatus.AwaitingPayment, OrderStatus.Processing, OrderStatus.Cancelled, OrderStatus.Rejected],
        [OrderStatus.AwaitingPayment] = [OrderStatus.Paid, OrderStatus.Cancelled],
        [OrderStatus.Paid] = [OrderStatus.Processing, OrderStatus.Shipped, OrderStatus.Cancelled, OrderStatus.Refunded, OrderStatus.PartiallyRefunded],
        [OrderStatus.Processing] = [OrderStatus.Shipped, OrderStatus.Cancelled, OrderStatus.Refunded, OrderStatus.PartiallyRefunded],
        [OrderStatus.Shipped] = [OrderStatus.Delivered, OrderStatus.Refunded, OrderStatus.PartiallyRefunded],
        [OrderStatus.Delivered] = [OrderStatus.Refunded, OrderStatus.PartiallyRefunded],
        [OrderStatus.PartiallyRefunded] = [OrderStatus.Processing, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Refunded, OrderStatus.PartiallyRefunded],
        [OrderStatus.Cancelled] = [OrderStatus.Refunded],
        [OrderStatus.Refunded] = [],
        [OrderStatus.Rejected] = [],
    };

    public static bool CanMove(OrderStatus from, OrderStatus to) => Allowed[from].Contains(to);

    /// <summary>Statuses in which the goods left (or leave) the warehouse as sold stock.</summary>
    public static bool StockIsSold(OrderStatus status) =>
        status is OrderStatus.Paid or OrderStatus.Processing or OrderStatus.Shipped or OrderStatus.Delivered or OrderStatus.PartiallyRefunded;

    /// <summary>Prices in Brazil include taxes: the tax line is informative and zero here.</summary>
    public static OrderTotals Totals(decimal subtotal, decimal discount, decimal shipping)
    {
        discount = Math.Min(discount, subtotal);
        return new OrderTotals(subtotal, discount, shipping, 0m, subtotal - discount + shipping);
    }

    /// <summary>
    /// What a returned quantity of a line is worth: its share of the line after the order's
    /// discounts (the coupon's and the Pix discount), plus its share of the card's interest: the
    /// customer gets back what they were charged for it, interest included.
    /// </summary>
    public static decimal ReturnValue(OrderLine line, int quantity, OrderTotals totals)
    {
        var share = totals.Subtotal == 0 ? 0 : line.UnitPrice * quantity * (1 - (totals.Discount + totals.PaymentDiscount) / totals.Subtotal);
        var financed = totals.Total - totals.Interest;
        if (totals.Interest > 0 && financed > 0)
        {
            share += share * totals.Interest / financed;
        }

        return Math.Round(share, 2, MidpointRounding.AwayFromZero);
    }
}
