namespace MestresCafe.Orders;

/// <summary>
/// The reasons the relational model accepts (CHECK constraints on payment_refunds and
/// order_returns): the API validates requests against them and the order refuses anything else,
/// so a bad reason from any caller never reaches, and stalls, the order's projection.
/// </summary>
public static class OrderReasons
{
    public static readonly IReadOnlyList<string> Refund = ["customer_request", "return", "order_cancelled", "duplicate", "fraud", "other"];

    public static readonly IReadOnlyList<string> Return = ["damaged", "wrong_item", "not_as_described", "quality", "changed_mind", "late_delivery", "other"];
}
