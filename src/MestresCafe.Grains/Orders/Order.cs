using MestresCafe.Coupons;
using MestresCafe.Customers;
using MestresCafe.Data.Pricing;
using MestresCafe.Grains.Payments;
using MestresCafe.Orders;
using MestresCafe.Payments;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// One order's domain, free of Orleans: the status machine, checkout's record, payment events,
/// refunds (through <see cref="RefundRule"/>), returns and expiry, and the events each change
/// raises into the outbox. It decides and records; <see cref="OrderGrain"/> calls the other grains
/// and the gateway around it, persists, schedules and projects.
/// </summary>
/// <remarks>
/// <paramref name="policy"/> gives the live settings (return window, shipping prices) at the moment
/// of each decision, so a back-office change reaches orders whose grains are already active.
/// </remarks>
public sealed partial class Order(OrderState state, string number, TimeProvider clock, Func<OrderPolicy>? policy = null)
{
    private OrderState S => state;

    private OrderPolicy Policy => policy?.Invoke() ?? OrderPolicy.Default;

    public string Number => number;

    /// <summary>The events raised and not yet projected, oldest first.</summary>
    public IReadOnlyList<OrderEvent> Outbox => state.Outbox;

    private DateTimeOffset Now => clock.GetUtcNow();

    // ---- checkout ----

    /// <summary>The stored answer to a retried checkout, or null when this checkout has still to run.</summary>
    public CheckoutResult? Replay(CheckoutCommand command)
    {
        if (S.Exists || S.Rejection is not null)
        {
            return S.RequestHash != command.RequestHash
                ? KeyReused()
                : S.Rejection ?? new CheckoutResult(CheckoutOutcome.Created, Snapshot(), [], null);
        }

        return S.Status == OrderStatus.Pending && S.RequestHash.Length > 0 && S.RequestHash != command.RequestHash ? KeyReused() : null;
    }

    /// <summary>
    /// Sets out the order in memory (lines at catalog prices, after the buyer's group discount, and
    /// the one reservation id) before any hold is taken; it is first written once placed or refused.
    /// </summary>
    public void Begin(
        CheckoutCommand command, IReadOnlyList<CheckoutLine> lines, IReadOnlyDictionary<string, PricedItem> priced, TimeSpan paymentWindow,
        decimal groupDiscountPercentage = 0m)
    {
        S.UserId = command.UserId;
        S.IdempotencyKey = command.IdempotencyKey;
        S.RequestHash = command.RequestHash;
        S.Status = OrderStatus.Pending;
        S.Lines = lines.Select(l =>
        {
            var item = priced[l.Sku];
            // The line's unit price after the group discount: the one pricing step groups add.
            var unitPrice = GroupPricing.UnitPrice(item.UnitPrice, groupDiscountPercentage);
            return new OrderLine(l.Sku, item.ProductId, item.VariantId, item.Name, l.Quantity, unitPrice, unitPrice * l.Quantity, item.CategoryIds)
            {
                ListUnitPrice = unitPrice == item.UnitPrice ? null : item.UnitPrice,
                GroupDiscountPercentage = unitPrice == item.UnitPrice ? null : groupDiscountPercentage,
            };
        }).ToList();
        S.ShippingAddress = command.ShippingAddress;
        S.BillingAddress = command.BillingAddress;
        S.ShippingMethod = command.ShippingMethod;
        S.CouponCode = command.CouponCode is { Length: > 0 } code ? code.ToUpperInvariant() : null;
        S.ReservationId = OrderNumbers.ReservationId(number);
        S.CreatedAt = Now;
        S.PaymentDueAt = S.CreatedAt + paymentWindow;
        S.HoldsStock = true;
    }

    /// <summary>A refused checkout: kept, so that every retry with the same key gets the same answer.</summary>
    public CheckoutResult Reject(
        CheckoutCommand command, CheckoutOutcome outcome, IReadOnlyList<CheckoutProblem> problems, string detail,
        CouponHoldOutcome? coupon = null, PaymentTermsRefusal? payment = null)
    {
        var result = new CheckoutResult(outcome, null, problems, detail) { CouponOutcome = coupon, PaymentRefusal = payment };
        S.RequestHash = command.RequestHash;
        S.UserId = command.UserId;
        S.Status = OrderStatus.Rejected;
        S.Rejection = result;
        return result;
    }

    /// <summary>Totals after the coupon: its discount, and the shipping it waives up to its cap.</summary>
    public void Price(bool anythingToShip, CouponHoldResult? coupon)
    {
        var subtotal = S.Lines.Sum(l => l.LineTotal);
        var discount = coupon?.Discount ?? 0m;
        var shipping = Policy.Shipping.For(S.ShippingMethod, subtotal - discount, anythingToShip);
        if (coupon?.FreeShipping == true)
        {
            // The hold priced the waiver on the shipping before discount.
            shipping = Math.Max(0m, shipping - coupon.ShippingDiscount);
        }

        S.Totals = OrderRules.Totals(subtotal, discount, shipping);
    }

    /// <summary>
    /// The last step of pricing, after the lines, the coupon and shipping: the payment method's
    /// terms (<see cref="PaymentTerms"/>). Pix takes its discount off the merchandise after the
    /// coupon, a card in installments above the interest-free ones adds the Price table's interest;
    /// both are figures of their own in the totals. Null when applied, else why the terms refuse the
    /// order (nothing changed).
    /// </summary>
    public PaymentTermsRefusal? ApplyPaymentTerms(PaymentMethodSettings? method, int installments)
    {
        var totals = S.Totals;
        if ((PaymentTerms.CheckMethod(method, totals.Total) ?? PaymentTerms.CheckInstallments(method!, totals.Total, installments)) is { } refused)
        {
            return refused;
        }

        switch (method!.Kind)
        {
            case PaymentMethodKind.Pix:
                var discount = PaymentTerms.PixDiscount(totals.Subtotal - totals.Discount, method.Config);
                S.Totals = totals with { PaymentDiscount = discount, Total = totals.Total - discount };
                break;
            case PaymentMethodKind.CreditCard:
                var plan = Installments.Plan(totals.Total, installments, method.Config);
                S.Installments = plan;
                S.Totals = totals with { Interest = plan.Interest, Total = plan.Total };
                break;
        }

        return null;
    }

    /// <summary>The charge was accepted (or its outcome is unknown): the order exists and waits for payment.</summary>
    public void Place(CheckoutCommand command, GatewayCharge charge)
    {
        S.Exists = true;
        S.Payment = new PaymentRecord
        {
            PaymentId = PaymentIdFor(number),
            Method = command.PaymentMethod,
            Status = charge.Status == GatewayChargeStatus.Authorized ? PaymentStatus.Authorized : PaymentStatus.Pending,
            Amount = S.Totals.Total,
            GatewayTransactionId = charge.TransactionId,
            PixCode = charge.PixCode,
            BoletoLine = charge.BoletoLine,
        };
        Emit(new OrderPlaced(Guid.NewGuid(), Now));
        Emit(new OrderStatusChanged(Guid.NewGuid(), Now, null, OrderStatus.Pending, "checkout", command.UserId));
        MoveTo(OrderStatus.AwaitingPayment, "aguardando pagamento", command.UserId);
        Emit(new OrderPaymentChanged(Guid.NewGuid(), Now));
    }

    public static Guid PaymentIdFor(string orderNumber) => DeriveId(Guid.Empty, "payment:" + orderNumber);

    // ---- payment events ----

    /// <summary>
    /// Decides what a gateway event does to the order and records it as applied; the grain then
    /// makes the calls the step needs and calls the matching method below. Refusals change nothing.
    /// </summary>
    public PaymentStep Accept(PaymentEvent paymentEvent)
    {
        if (!S.Exists || S.Payment is not { } payment)
        {
            return new PaymentStep(PaymentStepKind.Refused, NotFound());
        }

        if (payment.GatewayTransactionId is { } known && known != paymentEvent.GatewayTransactionId)
        {
            return new PaymentStep(PaymentStepKind.OtherTransaction, Invalid("The transaction does not belong to this order."));
        }

        if (paymentEvent.Type == PaymentEventTypes.Captured && paymentEvent.Amount != payment.Amount)
        {
            // A capture of another amount is not this order's payment: marking the order paid would
            // ship goods for less than their price. Left for reconciliation, the order unchanged.
            return new PaymentStep(PaymentStepKind.AmountMismatch,
                Invalid($"The capture of {paymentEvent.Amount:0.00} does not match the order's payment of {payment.Amount:0.00}."));
        }

        if (!S.AppliedPaymentEvents.Add(paymentEvent.ExternalEventId))
        {
            return new PaymentStep(PaymentStepKind.AlreadyApplied, Done() with { Repeated = true });
        }

        if (paymentEvent.Delivery is { } delivery)
        {
            Emit(new OrderPaymentEventApplied(Guid.NewGuid(), Now, delivery.Provider, paymentEvent.ExternalEventId, paymentEvent.Type, delivery.Payload));
        }

        payment.GatewayTransactionId ??= paymentEvent.GatewayTransactionId;
        var kind = paymentEvent.Type switch
        {
            PaymentEventTypes.Captured when S.Status == OrderStatus.AwaitingPayment => PaymentStepKind.Capture,
            // Paid after the order had expired: the money goes back; the goods were already released.
            PaymentEventTypes.Captured when S.Status == OrderStatus.Cancelled && payment.Status is not (PaymentStatus.Captured or PaymentStatus.Refunded)
                => PaymentStepKind.CaptureAfterCancel,
            PaymentEventTypes.Failed or PaymentEventTypes.Expired when S.Status == OrderStatus.AwaitingPayment => PaymentStepKind.Fail,
            // Stale or out of order (a failure after the capture, a capture already applied): recorded, ignored.
            _ => PaymentStepKind.Stale,
        };
        return new PaymentStep(kind, null);
    }

    /// <summary>Captured with its stock committed: the order is paid.</summary>
    public void MarkPaid(PaymentEvent paymentEvent)
    {
        RecordCapture(paymentEvent);
        S.PaidAt = Now;
        MoveTo(OrderStatus.Paid, "pagamento confirmado", null);
        Emit(new OrderPaymentChanged(Guid.NewGuid(), Now));
    }

    /// <summary>
    /// Captured after the stock hold lapsed and the units were sold meanwhile: the order is
    /// cancelled and the capture is to be refunded in full (the grain refunds it next).
    /// </summary>
    public void CancelUnfulfillable(PaymentEvent paymentEvent)
    {
        RecordCapture(paymentEvent);
        S.CancelledAt = Now;
        MoveTo(OrderStatus.Cancelled, "estoque esgotado antes do pagamento", null);
    }

    /// <summary>A capture for an order already cancelled: recorded, to be refunded in full.</summary>
    public void RecordCapture(PaymentEvent paymentEvent)
    {
        S.Payment!.Status = PaymentStatus.Captured;
        S.Payment.ProcessedAt = paymentEvent.OccurredAt;
    }

    /// <summary>The payment failed or expired at the gateway: the order is cancelled (its holds released by the grain).</summary>
    public void FailPayment(PaymentEvent paymentEvent)
    {
        var failed = paymentEvent.Type == PaymentEventTypes.Failed;
        S.Payment!.Status = failed ? PaymentStatus.Failed : PaymentStatus.Expired;
        S.Payment.ProcessedAt = paymentEvent.OccurredAt;
        Cancel(failed ? "pagamento recusado" : "pagamento expirado", null);
    }

    // ---- expiry ----

    public bool PaymentIsDue => S.Status == OrderStatus.AwaitingPayment && S.PaymentDueAt <= Now;

    /// <summary>The payment window passed unpaid: the order is cancelled (its holds released by the grain).</summary>
    public void Expire()
    {
        S.Payment!.Status = PaymentStatus.Expired;
        Cancel("prazo de pagamento expirado", null);
    }

    // ---- the status machine ----

    /// <summary>Null when the order may move to the target, else why not.</summary>
    public TransitionResult? CheckMove(OrderStatus target) =>
        !S.Exists ? NotFound() : OrderRules.CanMove(S.Status, target) ? null : Illegal(target);

    /// <summary>Leaves only the tax fields of the addresses (<see cref="Address.WithoutPersonalData"/>); false when nothing changed.</summary>
    public bool ErasePersonalData()
    {
        var shipping = S.ShippingAddress?.WithoutPersonalData();
        var billing = S.BillingAddress?.WithoutPersonalData();
        if (shipping == S.ShippingAddress && billing == S.BillingAddress)
        {
            return false;
        }

        S.ShippingAddress = shipping;
        S.BillingAddress = billing;
        return true;
    }

    public TransitionResult StartProcessing(long byUserId) => Move(OrderStatus.Processing, "em separação", byUserId, () => { });

    public TransitionResult Ship(string trackingNumber, long byUserId) =>
        string.IsNullOrWhiteSpace(trackingNumber) || trackingNumber.Length > 64
            ? new TransitionResult(TransitionOutcome.Invalid, S.Exists ? Snapshot() : null, "A tracking number of 1 to 64 characters is required.")
            : Move(OrderStatus.Shipped, "enviado: " + trackingNumber, byUserId, () =>
            {
                S.TrackingNumber = trackingNumber.Trim();
                S.ShippedAt = Now;
            });

    public TransitionResult Deliver(long byUserId) =>
        S.Exists && S.ShippedAt is null
            ? Illegal(OrderStatus.Delivered)
            : Move(OrderStatus.Delivered, "entregue", byUserId, () => S.DeliveredAt = Now);

    /// <summary>
    /// Null when the order may be cancelled by this caller, else why not; <paramref name="toRefund"/>
    /// is what the cancellation gives back (a paid order refunds what is left of its capture).
    /// </summary>
    public TransitionResult? CheckCancel(long? byUserId, bool byCustomer, bool mayRefund, out decimal toRefund)
    {
        toRefund = 0m;
        if (!S.Exists)
        {
            return NotFound();
        }

        var customerMay = S.Status is OrderStatus.AwaitingPayment or OrderStatus.Paid;
        if (!OrderRules.CanMove(S.Status, OrderStatus.Cancelled) || (byCustomer && !customerMay))
        {
            return Illegal(OrderStatus.Cancelled);
        }

        toRefund = RefundRule.Refundable(S.Payment!);
        if (toRefund > 0 && !byCustomer && !mayRefund)
        {
            return Forbidden("Cancelling a paid order refunds it: that needs the refund permission.");
        }

        return toRefund > 0 && RefundRule.IsSelfApproval(S.UserId, byUserId, byCustomer)
            ? Forbidden("Staff cannot refund (or cancel after payment) an order they placed themselves.")
            : null;
    }

    /// <summary>A cancellation before payment: the payment is called off (the grain releases the holds).</summary>
    public void CallOffPayment() => S.Payment!.Status = PaymentStatus.Cancelled;

    /// <summary>Moves to cancelled; the payment row follows.</summary>
    public void Cancel(string reason, long? byUserId)
    {
        S.CancelledAt = Now;
        MoveTo(OrderStatus.Cancelled, reason, byUserId);
        Emit(new OrderPaymentChanged(Guid.NewGuid(), Now));
    }

    private TransitionResult Move(OrderStatus target, string comment, long byUserId, Action apply)
    {
        if (CheckMove(target) is { } refused)
        {
            return refused;
        }

        apply();
        MoveTo(target, comment, byUserId);
        return Done();
    }

    private void MoveTo(OrderStatus target, string? comment, long? byUserId)
    {
        var from = S.Status;
        S.Status = target;
        Emit(new OrderStatusChanged(Guid.NewGuid(), Now, from, target, comment, byUserId));
    }

    private void Emit(OrderEvent orderEvent)
    {
        S.Version++;
        S.Outbox.Add(orderEvent);
    }

    // ---- refunds ----

    /// <summary>A staff refund: null when allowed (the grain then asks the gateway), else why not.</summary>
    public TransitionResult? CheckStaffRefund(decimal amount, string reason, long byUserId)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (RefundRule.IsSelfApproval(S.UserId, byUserId, byCustomer: false))
        {
            return SelfRefund();
        }

        if (S.Payment is not { Status: PaymentStatus.Captured or PaymentStatus.PartiallyRefunded } || !OrderRules.CanMove(S.Status, OrderStatus.PartiallyRefunded))
        {
            return Illegal(OrderStatus.Refunded);
        }

        return CheckRefund(amount, reason);
    }

    /// <summary>Every refund, whatever its path: a known reason and what the refund rule allows.</summary>
    public TransitionResult? CheckRefund(decimal amount, string reason)
    {
        if (!OrderReasons.Refund.Contains(reason))
        {
            // payment_refunds accepts only these; anything else would stall the projection forever.
            return Invalid($"The reason must be one of: {string.Join(", ", OrderReasons.Refund)}.");
        }

        var check = RefundRule.Check(S.Payment!, amount);
        return check == RefundCheck.Allowed ? null : Invalid(RefundRule.Explain(check, S.Payment!));
    }

    /// <summary>The gateway's idempotency key for this refund: a retry of the same refund is the same refund.</summary>
    public Guid RefundIdFor(decimal amount, string reason) =>
        DeriveId(S.Payment!.PaymentId, $"refund:{S.Payment.RefundedAmount}:{amount}:{reason}");

    /// <summary>
    /// Records a refund the gateway made and moves the order to (partially) refunded unless told
    /// not to (a cancellation moves it to cancelled instead).
    /// </summary>
    public void RecordRefund(Guid refundId, decimal amount, string reason, string? gatewayRefundId, long? byUserId, bool moveOrder)
    {
        var payment = S.Payment!;
        RefundRule.Record(payment, amount);
        Emit(new OrderRefunded(refundId, Now, amount, reason, gatewayRefundId, byUserId));
        Emit(new OrderPaymentChanged(Guid.NewGuid(), Now));
        if (!moveOrder)
        {
            return;
        }

        var target = payment.Status == PaymentStatus.Refunded ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
        // A second partial refund changes no status: order_status_history records changes only
        // (a row from partially_refunded to itself stalled the projection); payment_refunds has it.
        if (target != S.Status && OrderRules.CanMove(S.Status, target))
        {
            MoveTo(target, $"reembolso de R$ {amount:0.00}", byUserId);
        }
    }

    // ---- returns ----

    /// <summary>A customer asks to return a quantity of a delivered line, within the window.</summary>
    public TransitionResult RequestReturn(ReturnRequest request)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (S.DeliveredAt is not { } deliveredAt || S.Status is not (OrderStatus.Delivered or OrderStatus.PartiallyRefunded))
        {
            return new TransitionResult(TransitionOutcome.IllegalTransition, Snapshot(), "Only delivered orders can be returned.");
        }

        var window = Policy.ReturnWindow;
        if (Now - deliveredAt > window)
        {
            return new TransitionResult(TransitionOutcome.IllegalTransition, Snapshot(), $"The {window.TotalDays:0}-day return period has passed.");
        }

        if (!OrderReasons.Return.Contains(request.Reason))
        {
            // order_returns accepts only these; anything else would stall the projection forever.
            return Invalid($"The reason must be one of: {string.Join(", ", OrderReasons.Return)}.");
        }

        var line = S.Lines.FirstOrDefault(l => l.Sku == request.Sku);
        var alreadyReturned = S.Returns.Where(r => r.Sku == request.Sku && r.Status != ReturnStatus.Rejected).Sum(r => r.Quantity);
        if (line is null || request.Quantity < 1 || request.Quantity > line.Quantity - alreadyReturned)
        {
            return Invalid("The item is not in the order or the quantity exceeds what can still be returned.");
        }

        var record = new ReturnRecord
        {
            ReturnId = Guid.NewGuid(),
            Sku = request.Sku,
            Quantity = request.Quantity,
            Reason = request.Reason,
            Notes = request.Notes,
            Status = ReturnStatus.Requested,
            RefundAmount = OrderRules.ReturnValue(line, request.Quantity, S.Totals),
            RequestedAt = Now,
        };
        S.Returns.Add(record);
        Emit(new OrderReturnChanged(Guid.NewGuid(), Now, record.ReturnId) { Status = record.Status });
        return Done();
    }

    /// <summary>Null with the return when it is at the expected step, else why not.</summary>
    public TransitionResult? FindReturn(Guid returnId, ReturnStatus expected, out ReturnRecord record)
    {
        record = null!;
        if (!S.Exists)
        {
            return NotFound();
        }

        if (S.Returns.FirstOrDefault(r => r.ReturnId == returnId) is not { } found)
        {
            return new TransitionResult(TransitionOutcome.NotFound, Snapshot(), "No such return.");
        }

        record = found;
        return found.Status == expected ? null
            : new TransitionResult(TransitionOutcome.IllegalTransition, Snapshot(), $"The return is {found.Status}, not {expected}.");
    }

    public void DecideReturn(ReturnRecord record, bool approve)
    {
        record.Status = approve ? ReturnStatus.Approved : ReturnStatus.Rejected;
        record.ApprovedAt = Now;
    }

    /// <summary>The line a received return puts back in stock (the grain restocks it).</summary>
    public OrderLine ReturnedLine(ReturnRecord record) => S.Lines.First(l => l.Sku == record.Sku);

    public void ReceiveReturn(ReturnRecord record) => record.Status = ReturnStatus.Received;

    /// <summary>Staff may not refund a return of an order they placed themselves.</summary>
    public TransitionResult? CheckReturnRefund(long byUserId) =>
        S.Exists && RefundRule.IsSelfApproval(S.UserId, byUserId, byCustomer: false) ? SelfRefund() : null;

    /// <summary>What a received return refunds: its value, at most what is left of the capture.</summary>
    public decimal ReturnRefundAmount(ReturnRecord record) => RefundRule.ForReturn(S.Payment!, record.RefundAmount);

    public void ReturnRefunded(ReturnRecord record, decimal amount)
    {
        record.RefundAmount = amount;
        record.Status = ReturnStatus.Refunded;
    }

    /// <summary>Every return step ends here: who and when, and the event that projects it.</summary>
    public void CompleteReturnStep(ReturnRecord record, long byUserId)
    {
        record.ProcessedAt = Now;
        record.ProcessedBy = byUserId;
        Emit(new OrderReturnChanged(Guid.NewGuid(), Now, record.ReturnId) { Status = record.Status });
    }

    // ---- answers ----

    public OrderSnapshot Snapshot() => new(
        number, S.UserId, S.Status, S.Lines, S.Totals, S.CouponCode, S.ShippingAddress!, S.BillingAddress, S.ShippingMethod,
        S.Payment?.ToInfo(), S.TrackingNumber, S.CreatedAt, S.PaidAt, S.ShippedAt, S.DeliveredAt, S.CancelledAt, S.PaymentDueAt,
        S.Returns.Select(r => r.ToInfo()).ToList(), S.Version)
    {
        Installments = S.Installments,
    };

    public TransitionResult Done() => new(TransitionOutcome.Done, Snapshot(), null);

    public TransitionResult Invalid(string detail) => new(TransitionOutcome.Invalid, Snapshot(), detail);

    public TransitionResult Forbidden(string detail) => new(TransitionOutcome.Forbidden, Snapshot(), detail);

    public static TransitionResult NotFound() => new(TransitionOutcome.NotFound, null, "No such order.");

    private TransitionResult SelfRefund() => Forbidden("Staff cannot refund an order they placed themselves.");

    private TransitionResult Illegal(OrderStatus target) =>
        new(TransitionOutcome.IllegalTransition, Snapshot(), $"An order that is {S.Status.ToSql()} cannot become {target.ToSql()}.");

    private static CheckoutResult KeyReused() =>
        new(CheckoutOutcome.KeyReusedWithAnotherBody, null, [], "This Idempotency-Key was used with another request.");

    /// <summary>A stable id for one operation of this order (the restock of a cancellation, a refund).</summary>
    public Guid OperationId(string what) => DeriveId(S.ReservationId, what);

    public static Guid DeriveId(Guid scope, string what) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{scope:N}:{what}")));
}

/// <summary>The gateway's event types the order understands.</summary>
public static class PaymentEventTypes
{
    public const string Captured = "payment.captured";
    public const string Failed = "payment.failed";
    public const string Expired = "payment.expired";
}

public enum PaymentStepKind
{
    /// <summary>No such order.</summary>
    Refused,
    OtherTransaction,
    AmountMismatch,
    AlreadyApplied,
    Capture,
    CaptureAfterCancel,
    Fail,
    Stale,
}

/// <summary>What a payment event does: a kind, and the answer when the event stops here.</summary>
public sealed record PaymentStep(PaymentStepKind Kind, TransitionResult? Answer);
