namespace MestresCafe.Orders;

/// <summary>The order status machine; the relational names are the snake_case of these.</summary>
[GenerateSerializer, Alias("mc.OrderStatus")]
public enum OrderStatus
{
    /// <summary>Checkout accepted the request; stock and coupon are being held. Not projected yet.</summary>
    Pending = 0,
    AwaitingPayment = 1,
    Paid = 2,
    Processing = 3,
    Shipped = 4,
    Delivered = 5,
    Cancelled = 6,
    Refunded = 7,
    PartiallyRefunded = 8,
    /// <summary>Checkout refused (no stock, coupon not usable, card declined); nothing was kept. Never projected.</summary>
    Rejected = 9,
}

public static class OrderStatusNames
{
    /// <summary>The orders.status value: the snake_case name. A rejected checkout is never an order row.</summary>
    public static string ToSql(this OrderStatus status) => status is >= OrderStatus.Pending and <= OrderStatus.PartiallyRefunded
        ? status.ToSnakeCase()
        : throw new ArgumentOutOfRangeException(nameof(status), status, "not a relational status");
}
