using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// The one rule every refund of an order goes through: a staff refund, a return's refund, the
/// refund of a cancelled paid order and the refund of a capture that arrived after the order was
/// cancelled. Refunds add up to at most what was captured. The order asks it before the gateway is
/// called and again when the refund is recorded, so no path can send the gateway, or record, a
/// refund the capture does not cover. Free of Orleans: a part of the order's domain class, <see cref="Order"/>.
/// </summary>
public static class RefundRule
{
    /// <summary>What is left of the capture to refund; nothing until the payment is captured.</summary>
    public static decimal Refundable(PaymentRecord payment) =>
        WasCaptured(payment) ? Math.Max(0m, payment.Amount - payment.RefundedAmount) : 0m;

    public static RefundCheck Check(PaymentRecord payment, decimal amount) =>
        !WasCaptured(payment) ? RefundCheck.NotCaptured
        : amount <= 0 ? RefundCheck.NotPositive
        : decimal.Round(amount, 2) != amount ? RefundCheck.NotInCents
        : amount > Refundable(payment) ? RefundCheck.ExceedsRefundable
        : RefundCheck.Allowed;

    /// <summary>
    /// A return is worth its share of the order, but a refund made before it (a goodwill refund, a
    /// partial one) already gave part of the capture back: the return refunds what is left, at most.
    /// </summary>
    public static decimal ForReturn(PaymentRecord payment, decimal returnValue) =>
        Math.Min(returnValue, Refundable(payment));

    /// <summary>
    /// Staff may not approve a refund of an order they placed themselves: the person who gets the
    /// money back is not the person who decides it. A customer cancelling their own order is the
    /// customer's right, not an approval.
    /// </summary>
    public static bool IsSelfApproval(long orderUserId, long? byUserId, bool byCustomer) =>
        !byCustomer && byUserId == orderUserId;

    /// <summary>Records a refund the gateway made; a refund the rule does not allow is a bug, never recorded.</summary>
    public static void Record(PaymentRecord payment, decimal amount)
    {
        var check = Check(payment, amount);
        if (check != RefundCheck.Allowed)
        {
            throw new InvalidOperationException($"A refund of {amount:0.00} cannot be recorded: {check}.");
        }

        payment.RefundedAmount += amount;
        payment.Status = payment.RefundedAmount >= payment.Amount ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded;
    }

    private static bool WasCaptured(PaymentRecord payment) =>
        payment.Status is PaymentStatus.Captured or PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded;

    public static string Explain(RefundCheck check, PaymentRecord payment) => check switch
    {
        RefundCheck.NotCaptured => "Only a captured payment can be refunded.",
        RefundCheck.ExceedsRefundable => $"At most {Refundable(payment):0.00} of the capture is left to refund.",
        _ => $"The amount must be positive, in cents, and at most {Refundable(payment):0.00}.",
    };
}

public enum RefundCheck
{
    Allowed,
    NotCaptured,
    NotPositive,
    NotInCents,
    ExceedsRefundable,
}
