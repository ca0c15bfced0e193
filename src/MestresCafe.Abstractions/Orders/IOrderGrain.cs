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

    /// <summary>Applies a verified gateway event (captured, failed, refunded). Duplicates and stale events are ignored.</summary>
    Task<TransitionResult> ApplyPaymentEventAsync(PaymentEvent paymentEvent);

    /// <summary>Cancels the order, releasing or restocking what it held and refunding what was paid.</summary>
    Task<TransitionResult> CancelAsync(long? byUserId, string reason, bool byCustomer);

    Task<TransitionResult> StartProcessingAsync(long byUserId);

    Task<TransitionResult> ShipAsync(string trackingNumber, long byUserId);

    Task<TransitionResult> DeliverAsync(long byUserId);

    /// <summary>Refunds part or all of what was captured.</summary>
    Task<TransitionResult> RefundAsync(decimal amount, string reason, long byUserId);

    Task<TransitionResult> RequestReturnAsync(ReturnRequest request, long byUserId);

    Task<TransitionResult> ApproveReturnAsync(Guid returnId, bool approve, long byUserId);

    /// <summary>The returned units arrived: they go back to stock through the inventory grain.</summary>
    Task<TransitionResult> ReceiveReturnAsync(Guid returnId, long byUserId);

    /// <summary>Refunds a received return's amount.</summary>
    Task<TransitionResult> RefundReturnAsync(Guid returnId, long byUserId);
}
