namespace MestresCafe.Orders;

/// <summary>
/// One order, keyed by its order number. The order number is derived from the user and the
/// client's Idempotency-Key, so a retried checkout reaches the same grain, which runs the checkout
/// once and answers every retry with the same order. The grain owns the order's status machine,
/// its payment and refunds, its returns, and their relational projection.
/// </summary>
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Runs checkout once; a retry with the same body returns the first result.</summary>
    Task<CheckoutResult> CheckoutAsync(CheckoutCommand command);

    /// <summary>The order, or null when no checkout ever created it (or checkout refused it).</summary>
    Task<OrderSnapshot?> GetAsync();

    /// <summary>
    /// The order sweeper's call for an order no server may hold: the activation finishes what a dead
    /// server left (projection, loyalty delivery) and an unpaid order past its window expires.
    /// Changes nothing for an order with nothing due.
    /// </summary>
    Task WakeAsync();

    /// <summary>
    /// Applies a verified gateway event (captured, failed, expired). Duplicates and stale events are
    /// ignored; an event for another transaction, or a capture of another amount, is refused (Invalid).
    /// </summary>
    Task<TransitionResult> ApplyPaymentEventAsync(PaymentEvent paymentEvent);

    /// <summary>
    /// Cancels the order, releasing or restocking what it held and refunding what was paid. A paid
    /// order's cancellation is a refund: staff need <paramref name="mayRefund"/> and may not cancel
    /// (refund) an order they placed themselves; a customer may cancel their own.
    /// </summary>
    Task<TransitionResult> CancelAsync(long? byUserId, string reason, bool byCustomer, bool mayRefund);

    Task<TransitionResult> StartProcessingAsync(long byUserId);

    /// <summary>Staff record an invoiced order's payment: the order is paid and its account's credit released. Repeating it changes nothing.</summary>
    Task<TransitionResult> RecordInvoicePaymentAsync(long byUserId);

    Task<TransitionResult> ShipAsync(string trackingNumber, long byUserId);

    Task<TransitionResult> DeliverAsync(long byUserId);

    /// <summary>Refunds part or all of what was captured and not yet refunded; never staff's own order.</summary>
    Task<TransitionResult> RefundAsync(decimal amount, string reason, long byUserId);

    Task<TransitionResult> RequestReturnAsync(ReturnRequest request, long byUserId);

    Task<TransitionResult> ApproveReturnAsync(Guid returnId, bool approve, long byUserId);

    /// <summary>The returned units arrived: they go back to stock through the inventory grain.</summary>
    Task<TransitionResult> ReceiveReturnAsync(Guid returnId, long byUserId);

    /// <summary>Refunds a received return's amount, at most what is left of the capture; never staff's own order.</summary>
    Task<TransitionResult> RefundReturnAsync(Guid returnId, long byUserId);

    /// <summary>
    /// LGPD erasure of the customer: the addresses keep only what tax law needs (city, state).
    /// Called before the relational rows are erased, so a projection still pending writes the
    /// anonymised addresses too. Repeating it changes nothing.
    /// </summary>
    Task ErasePersonalDataAsync();
}
