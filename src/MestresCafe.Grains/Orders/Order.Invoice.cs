using MestresCafe.Customers;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// An invoiced ("faturado") order: an approved company account's order is confirmed at checkout
/// without payment, its stock sold and its coupon used, and its invoice (a boleto) falls due after
/// the account's payment terms. Staff record the payment when it arrives; a cancellation calls the
/// invoice off. The account's credit is held by <see cref="ICreditAccountGrain"/> meanwhile.
/// </summary>
public sealed partial class Order
{
    /// <summary>The invoice's number at the bank, kept as the payment's transaction id (no gateway event ever matches it).</summary>
    public static string InvoiceNumberFor(Guid paymentId) => "fat_" + paymentId.ToString("N")[..20];

    /// <summary>The account's credit refused the order: kept like any refusal, with its reason.</summary>
    public CheckoutResult RejectOnCredit(CheckoutCommand command, CreditDecision decision)
    {
        var result = Reject(command, CheckoutOutcome.CreditRefused, [], decision.Detail ?? "The order cannot be invoiced.") with
        {
            CreditRefusal = decision.Refusal,
        };
        S.Rejection = result;
        S.HoldsCredit = false;
        return result;
    }

    /// <summary>
    /// The credit is reserved and the holds committed: the order exists, confirmed and unpaid, with
    /// its invoice due at <paramref name="dueAt"/>.
    /// </summary>
    public void PlaceOnInvoice(CheckoutCommand command, DateTimeOffset dueAt)
    {
        var paymentId = PaymentIdFor(Number);
        S.Exists = true;
        S.HoldsCredit = true;
        S.PaymentDueAt = dueAt;
        S.Payment = new PaymentRecord
        {
            PaymentId = paymentId,
            Method = PaymentMethodKind.Invoice,
            Status = PaymentStatus.Pending,
            Amount = S.Totals.Total,
            GatewayTransactionId = InvoiceNumberFor(paymentId),
        };
        Emit(new OrderPlaced(Guid.NewGuid(), Now));
        Emit(new OrderStatusChanged(Guid.NewGuid(), Now, null, OrderStatus.Pending, "checkout", command.UserId));
        MoveTo(OrderStatus.Processing, $"faturado: boleto com vencimento em {dueAt:dd/MM/yyyy}", command.UserId);
        Emit(new OrderPaymentChanged(Guid.NewGuid(), Now));
    }

    /// <summary>
    /// Staff record the invoice's payment: the order is paid and its credit is to be released. A
    /// second call for a paid invoice changes nothing and answers done.
    /// </summary>
    public TransitionResult RecordInvoicePayment(long byUserId)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (S.Payment is not { Method: PaymentMethodKind.Invoice } payment)
        {
            return Invalid("This order is not invoiced: its payment is confirmed by the payment gateway.");
        }

        if (payment.Status == PaymentStatus.Captured)
        {
            return Done();
        }

        if (payment.Status != PaymentStatus.Pending || S.Status is OrderStatus.Cancelled or OrderStatus.Refunded)
        {
            return new TransitionResult(TransitionOutcome.IllegalTransition, Snapshot(),
                $"The invoice of an order that is {S.Status.ToSql()} can no longer be paid.");
        }

        payment.Status = PaymentStatus.Captured;
        payment.ProcessedAt = Now;
        S.PaidAt = Now;
        Emit(new OrderPaymentChanged(Guid.NewGuid(), Now));
        return Done();
    }

    /// <summary>An unpaid invoice is called off with its order (a paid one is refunded as any capture).</summary>
    public void CallOffInvoice()
    {
        if (S.Payment is { Method: PaymentMethodKind.Invoice, Status: PaymentStatus.Pending } payment)
        {
            payment.Status = PaymentStatus.Cancelled;
        }
    }

    /// <summary>Why the order's credit is to be released now, or null while the invoice is open (or holds no credit).</summary>
    public CreditRelease? CreditToRelease =>
        !S.HoldsCredit ? null
        : S.Payment is { Status: PaymentStatus.Captured or PaymentStatus.Refunded or PaymentStatus.PartiallyRefunded } ? CreditRelease.Paid
        : S.Status is OrderStatus.Cancelled or OrderStatus.Refunded or OrderStatus.Rejected ? CreditRelease.Cancelled
        : null;
}
