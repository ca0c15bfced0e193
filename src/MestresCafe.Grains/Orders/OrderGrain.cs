using System.Runtime.ExceptionServices;
using MestresCafe.Cart;
using MestresCafe.Coupons;
using MestresCafe.Customers;
using MestresCafe.Data.Customers;
using MestresCafe.Data.Payments;
using MestresCafe.Data.Pricing;
using MestresCafe.Grains.Payments;
using MestresCafe.Payments;
using MestresCafe.Grains.Projections;
using MestresCafe.Inventory;
using MestresCafe.Orders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// One order from checkout to delivery, returns and refunds. Checkout runs here so that the
/// Idempotency-Key (which names this grain) makes it run once; every step of it is idempotent
/// (one reservation id per order, one coupon hold per order number, one charge per payment id), so
/// a checkout interrupted by a crash is resumed, not repeated, when the client retries.
/// </summary>
public sealed partial class OrderGrain(
    [PersistentState("order", StorageNames.Store)] IPersistentState<OrderState> state,
    CheckoutReads checkoutReads,
    IPaymentMethodSource paymentMethods,
    IPaymentGateway gateway,
    OrderProjection projection,
    IOptionsMonitor<PaymentOptions> paymentOptions,
    IOptionsMonitor<StockHoldOptions> holdOptions,
    IOptionsMonitor<OrderOptions> orderOptions,
    IOptionsMonitor<ShippingPrices> shippingPrices,
    TimeProvider clock,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain, IRemindable
{
    /// <summary>Registered by earlier versions, one per order; see <see cref="ReceiveReminder"/>.</summary>
    private const string PaymentDueReminder = "payment-due";
    /// <summary>A hold taken again for a late capture lasts only until the capture commits it.</summary>
    private static readonly TimeSpan CaptureHold = TimeSpan.FromMinutes(5);
    private OutboxPump<OrderEvent> _pump = null!;
    private IGrainTimer? _paymentDueTimer;

    private OrderState S => state.State;
    private string Number => this.GetPrimaryKeyString();
    private Order _order = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Live settings: read at each decision, so a change reaches active orders too.
        _order = new Order(state.State, Number, clock, () => new OrderPolicy(orderOptions.CurrentValue.ReturnWindow, shippingPrices.CurrentValue));
        // The loyalty feed runs after the projection, before the removal, so that a failure or crash
        // publishes again: at least once, counted once by event id.
        _pump = new OutboxPump<OrderEvent>(
            this, Outbox.For(projection, Number, () => S, () => S.Exists, () => S.Outbox, batch => OrderLoyaltyFeed.DeliverAsync(GrainFactory, Number, S, batch)), logger);
        if (S.Outbox.Count > 0)
        {
            _pump.Schedule();
        }

        SchedulePaymentDue();
        ScheduleCreditRelease();
        return Task.CompletedTask;
    }

    public Task<OrderSnapshot?> GetAsync() => Task.FromResult(S.Exists ? _order.Snapshot() : null);

    public async Task<CheckoutResult> CheckoutAsync(CheckoutCommand command)
    {
        if (_order.Replay(command) is { } replayed)
        {
            return replayed;
        }

        // The cart is read here, not by the caller, so that the lines and the clearing below are one
        // path; a retry after the order exists is answered above, from the state, whatever the cart holds.
        var cart = await GrainFactory.GetGrain<ICartGrain>(command.CartKey).GetAsync();
        var lines = cart.Lines.GroupBy(l => l.Sku).Select(g => new CheckoutLine(g.Key, g.Sum(l => l.Quantity))).ToList();
        if (lines.Count == 0)
        {
            return await RejectAsync(command, CheckoutOutcome.EmptyCart, [], "The cart is empty.");
        }

        // Prices and the buyer's groups in one round trip; the groups matter only once the lines are valid.
        var (priced, groups) = await checkoutReads.ReadAsync(lines.Select(l => l.Sku), command.UserId);
        var invalid = lines
            .Where(l => !priced.TryGetValue(l.Sku, out var item) || !item.IsActive || l.Quantity is < 1 or > CartKey.MaxQuantityPerLine)
            .Select(l => new CheckoutProblem(l.Sku, priced.ContainsKey(l.Sku) ? "invalid_quantity_or_inactive" : "unknown_item", null))
            .ToList();
        if (invalid.Count > 0)
        {
            return await RejectAsync(command, CheckoutOutcome.InvalidLines, invalid, "Some lines cannot be bought.");
        }

        var maxPerLine = holdOptions.CurrentValue.MaxUnitsPerOrderLine;
        var overLimit = lines.Where(l => l.Quantity > maxPerLine).Select(l => new CheckoutProblem(l.Sku, "order_line_limit", null)).ToList();
        if (overLimit.Count > 0)
        {
            return await RejectAsync(command, CheckoutOutcome.InvalidLines, overLimit, $"At most {maxPerLine} units of one item per order.");
        }

        // Through the cache where the API runs: a method staff disabled is refused before any hold.
        var method = PaymentTerms.Find(await paymentMethods.GetAsync(), command.PaymentMethod);
        if (method is not { IsActive: true })
        {
            return await RejectAsync(command, CheckoutOutcome.PaymentTermsRefused, [], PaymentTerms.Explain(PaymentTermsRefusal.MethodNotOffered, method),
                payment: PaymentTermsRefusal.MethodNotOffered);
        }

        var window = PaymentTerms.PaymentWindow(method) ?? paymentOptions.CurrentValue.WindowFor(command.PaymentMethod);
        var groupDiscount = GroupPricing.BestOf(groups.Select(g => g.DiscountPercentage));
        if (Order.CheckGroupConditions(groups, lines, priced, groupDiscount, command.PaymentMethod) is { } unmet)
        {
            return await RejectOnGroupAsync(command, unmet);
        }

        _order.Begin(command, lines, priced, window, groupDiscount);
        var now = S.CreatedAt;
        // Nothing is written before the holds: the first write is the placed order (or the refusal).
        // A retry after a crash runs the checkout again and takes the same holds (the reservation id
        // and the payment id derive from the order number), and no stored intent was ever read back:
        // a retry re-prices the cart, and a pending order never expires. A crashed checkout that is
        // never retried leaves holds that lapse at their expiry, as they did with the intent stored.

        // The stock hold may be shorter than the payment window (boleto): a late payment takes the
        // stock again if it is still there, or is refunded (see HoldStockForCaptureAsync).
        var stockHeldUntil = now + holdOptions.CurrentValue.HoldFor(command.PaymentMethod, window) + paymentOptions.CurrentValue.ReservationMargin;
        var holdsUntil = now + window + paymentOptions.CurrentValue.ReservationMargin;
        S.StockHeldUntil = stockHeldUntil;
        var shortages = await ReserveAllAsync(stockHeldUntil);
        if (shortages.Count > 0)
        {
            await ReleaseHoldsAsync();
            return shortages.Any(s => s.Reason == nameof(ReservationOutcome.CustomerLimitReached))
                ? await RejectAsync(command, CheckoutOutcome.HoldLimitReached, shortages,
                    $"Unpaid orders may hold at most {holdOptions.CurrentValue.MaxUnitsPerCustomer} units of one item: pay or cancel an open order first.")
                : await RejectAsync(command, CheckoutOutcome.InsufficientStock, shortages, "Some lines are not available in the quantity asked.");
        }

        var anythingToShip = S.Lines.Any(l => priced[l.Sku].RequiresShipping);
        CouponHoldResult? coupon = null;
        if (command.CouponCode is { Length: > 0 } code)
        {
            var baseShipping = shippingPrices.CurrentValue.For(S.ShippingMethod, S.Lines.Sum(l => l.LineTotal), anythingToShip);
            coupon = await HoldCouponAsync(command, code, baseShipping, holdsUntil);
            if (!coupon.Succeeded)
            {
                await ReleaseHoldsAsync();
                return await RejectAsync(command, CheckoutOutcome.CouponRefused,
                    [new CheckoutProblem(code, coupon.Outcome.ToString(), null)], $"The coupon cannot be used: {coupon.Outcome}.", coupon.Outcome);
            }
        }

        _order.Price(anythingToShip, coupon);
        if (_order.ApplyPaymentTerms(method, command.Installments) is { } refusal)
        {
            await ReleaseHoldsAsync();
            return await RejectAsync(command, CheckoutOutcome.PaymentTermsRefused, [], PaymentTerms.Explain(refusal, method), payment: refusal);
        }

        if (command.PaymentMethod == PaymentMethodKind.Invoice)
        {
            return await PlaceOnInvoiceAsync(command);
        }

        var charge = await ChargeAsync(command);
        if (charge.Status == GatewayChargeStatus.Declined)
        {
            await ReleaseHoldsAsync();
            return await RejectAsync(command, CheckoutOutcome.PaymentDeclined, [], $"The payment was declined: {charge.DeclineReason}.");
        }

        _order.Place(command, charge);
        // No reminder per order (it was a PostgreSQL write on this path): while this activation
        // lives its timer expires the order on time; if its server dies, before or after the write,
        // the order sweeper finds the order by its state row and wakes it within about a minute.
        await PersistAsync();
        SchedulePaymentDue();

        await ClearCartQuietlyAsync(command.CartKey);

        return new CheckoutResult(CheckoutOutcome.Created, _order.Snapshot(), [], null);
    }

    public async Task<TransitionResult> ApplyPaymentEventAsync(PaymentEvent paymentEvent)
    {
        var step = _order.Accept(paymentEvent);
        switch (step.Kind)
        {
            case PaymentStepKind.Refused or PaymentStepKind.AlreadyApplied:
                return step.Answer!;

            case PaymentStepKind.OtherTransaction or PaymentStepKind.AmountMismatch:
                logger.LogWarning("Payment event {Event} ({Amount:0.00}, transaction {Transaction}) for order {Order} refused: {Detail}",
                    paymentEvent.ExternalEventId, paymentEvent.Amount, paymentEvent.GatewayTransactionId, Number, step.Answer!.Detail);
                return step.Answer;

            case PaymentStepKind.Capture when !await HoldStockForCaptureAsync():
                // Paid after its stock hold lapsed (a boleto pays days after its hours-long hold) and
                // the units were sold meanwhile: the payment goes back, as a payment platform does
                // when it cannot fulfil, rather than promising stock a micro-lot may never get again.
                await ReleaseHoldsAsync();
                _order.CancelUnfulfillable(paymentEvent);
                await RefundOrLogAsync();
                UnscheduledPaymentDue();
                break;

            case PaymentStepKind.Capture:
                await CommitHoldsAsync();
                _order.MarkPaid(paymentEvent);
                UnscheduledPaymentDue();
                break;

            case PaymentStepKind.CaptureAfterCancel:
                _order.RecordCapture(paymentEvent);
                await RefundOrLogAsync();
                break;

            case PaymentStepKind.Fail:
                await ReleaseHoldsAsync();
                _order.FailPayment(paymentEvent);
                UnscheduledPaymentDue();
                break;

            default:
                logger.LogInformation("Payment event {Type} ignored for order {Order} in status {Status}", paymentEvent.Type, Number, S.Status);
                break;
        }

        await PersistAsync();
        return _order.Done();
    }

    public async Task<TransitionResult> CancelAsync(long? byUserId, string reason, bool byCustomer, bool mayRefund)
    {
        if (_order.CheckCancel(byUserId, byCustomer, mayRefund, out var toRefund) is { } refused)
        {
            return refused;
        }

        if (S.Status == OrderStatus.AwaitingPayment)
        {
            await ReleaseHoldsAsync();
            _order.CallOffPayment();
        }
        else
        {
            // The refund first: a refused refund leaves the order paid and its goods where they are.
            if (toRefund > 0 && await RefundPaymentAsync(toRefund, "order_cancelled", byUserId, moveOrder: false) is not null)
            {
                return new TransitionResult(TransitionOutcome.GatewayFailed, _order.Snapshot(), "The refund could not be made; the order was not cancelled.");
            }

            await RestockLinesAsync(S.Lines.Select(l => (l, l.Quantity)), _order.OperationId("cancel"), "cancelamento do pedido");
        }

        _order.CallOffInvoice();
        _order.Cancel(reason, byUserId);
        UnscheduledPaymentDue();
        await PersistAsync();
        await ReleaseCreditAsync();
        return _order.Done();
    }

    public Task<TransitionResult> StartProcessingAsync(long byUserId) => PersistIfDoneAsync(_order.StartProcessing(byUserId));

    public async Task ErasePersonalDataAsync()
    {
        if (_order.ErasePersonalData())
        {
            await PersistAsync();
        }
    }

    public Task<TransitionResult> ShipAsync(string trackingNumber, long byUserId) => PersistIfDoneAsync(_order.Ship(trackingNumber, byUserId));

    public Task<TransitionResult> DeliverAsync(long byUserId) => PersistIfDoneAsync(_order.Deliver(byUserId));

    public async Task<TransitionResult> RefundAsync(decimal amount, string reason, long byUserId)
    {
        if (_order.CheckStaffRefund(amount, reason, byUserId) is { } refused)
        {
            return refused;
        }

        if (await RefundPaymentAsync(amount, reason, byUserId) is { } failed)
        {
            return failed;
        }

        await PersistAsync();
        return _order.Done();
    }

    public Task<TransitionResult> RequestReturnAsync(ReturnRequest request, long byUserId) => PersistIfDoneAsync(_order.RequestReturn(request));

    public Task<TransitionResult> ApproveReturnAsync(Guid returnId, bool approve, long byUserId) =>
        ReturnStepAsync(returnId, ReturnStatus.Requested, byUserId, record =>
        {
            _order.DecideReturn(record, approve);
            return Task.FromResult<TransitionResult?>(null);
        });

    public Task<TransitionResult> ReceiveReturnAsync(Guid returnId, long byUserId) =>
        ReturnStepAsync(returnId, ReturnStatus.Approved, byUserId, async record =>
        {
            await RestockLinesAsync([(_order.ReturnedLine(record), record.Quantity)], record.ReturnId, "devolução " + record.ReturnId.ToString("N")[..8]);
            _order.ReceiveReturn(record);
            return (TransitionResult?)null;
        });

    public Task<TransitionResult> RefundReturnAsync(Guid returnId, long byUserId) =>
        _order.CheckReturnRefund(byUserId) is { } refused
            ? Task.FromResult(refused)
            : ReturnStepAsync(returnId, ReturnStatus.Received, byUserId, async record =>
            {
                var amount = _order.ReturnRefundAmount(record);
                if (await RefundPaymentAsync(amount, "return", byUserId) is { } failed)
                {
                    return failed;
                }

                _order.ReturnRefunded(record, amount);
                return null;
            });

    /// <summary>The sweeper's call: activation alone applies the outbox again; an unpaid order past its window expires.</summary>
    public Task WakeAsync() => ExpireIfDueAsync();

    /// <summary>
    /// Only orders placed before the sweeper still have a payment-due reminder (and no payment due
    /// time on the read side, so the sweeper does not find them once idle): it expires them as it
    /// always did and goes once the order is no longer unpaid.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != PaymentDueReminder)
        {
            return;
        }

        await ExpireIfDueAsync();
        if (S.Status != OrderStatus.AwaitingPayment && await this.GetReminder(PaymentDueReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Reserves every line under the order's one reservation id. A line the inventory refuses is a
    /// problem to answer with; a call that failed (its server died, it timed out) is not a "no": the
    /// holds taken are given back and the failure is thrown, so that nothing is recorded and a retry
    /// with the same key runs the checkout again (reservations are idempotent by their id, and a hold
    /// whose release failed too lapses at its expiry).
    /// </summary>
    private async Task<List<CheckoutProblem>> ReserveAllAsync(DateTimeOffset until)
    {
        var outcomes = await Task.WhenAll(S.Lines.Select(async line =>
        {
            try
            {
                var result = await Inventory(line.Sku).ReserveForCustomerAsync(
                    S.ReservationId, line.Quantity, until, new CustomerHoldLimit(S.UserId, holdOptions.CurrentValue.MaxUnitsPerCustomer));
                return (Problem: result.Succeeded ? null : new CheckoutProblem(line.Sku, result.Outcome.ToString(), result.AvailableAfter), Error: (Exception?)null);
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Reservation of {Sku} for order {Order} failed", line.Sku, Number);
                return (Problem: (CheckoutProblem?)null, Error: error);
            }
        }));

        if (outcomes.FirstOrDefault(o => o.Error is not null).Error is { } failure)
        {
            try
            {
                await ReleaseHoldsAsync();
            }
            catch (Exception releaseError)
            {
                logger.LogWarning(releaseError, "Holds of order {Order} could not be released after a failed reservation; they lapse at their expiry", Number);
            }

            ExceptionDispatchInfo.Throw(failure);
        }

        return outcomes.Select(o => o.Problem).OfType<CheckoutProblem>().ToList();
    }


    /// <summary>
    /// The coupon grain decides alone: it owns the coupon's per-customer history (holds and uses)
    /// and reads what else its conditions need (first order, e-mail, groups) right before deciding.
    /// </summary>
    private async Task<CouponHoldResult> HoldCouponAsync(CheckoutCommand command, string code, decimal shipping, DateTimeOffset until)
    {
        S.HoldsCoupon = true;
        var request = new CouponHoldRequest(
            Number, command.UserId, S.Lines.Select(l => new CouponLine(l.ProductId, l.CategoryIds, l.LineTotal)).ToList(), shipping, until)
        {
            ShippingMethod = S.ShippingMethod,
            ShippingState = S.ShippingAddress?.State,
        };
        return await GrainFactory.GetGrain<ICouponGrain>(code.ToUpperInvariant()).HoldAsync(request);
    }

    private async Task<GatewayCharge> ChargeAsync(CheckoutCommand command)
    {
        try
        {
            return await gateway.CreateChargeAsync(new ChargeRequest(Order.PaymentIdFor(Number), Number, S.Totals.Total, command.PaymentMethod, command.CardToken, S.Installments?.Count ?? 1));
        }
        catch (Exception error)
        {
            // The outcome is unknown: the order waits for a webhook or expires and releases its holds.
            logger.LogWarning(error, "The gateway did not answer for order {Order}", Number);
            return new GatewayCharge(GatewayChargeStatus.TimedOut, null, null, null, null);
        }
    }

    /// <summary>
    /// Takes again the stock holds that lapsed before the payment arrived (a boleto is payable for
    /// days, its stock is held for hours), so that the capture commits them: every line or none.
    /// A hold still in place, or already committed, is acknowledged as it is.
    /// </summary>
    private async Task<bool> HoldStockForCaptureAsync()
    {
        if (!S.HoldsStock || S.StockHeldUntil is not { } heldUntil || heldUntil > clock.GetUtcNow() + CaptureHold)
        {
            // The holds are still in place (with room for another silo's clock): the capture
            // commits them as they are, at no extra call.
            return true;
        }

        var until = clock.GetUtcNow() + CaptureHold;
        var held = await Task.WhenAll(S.Lines.Select(async line =>
            (await Inventory(line.Sku).ReserveAsync(S.ReservationId, line.Quantity, until)).Succeeded));
        return held.All(h => h);
    }

    private async Task CommitHoldsAsync()
    {
        if (S.HoldsStock)
        {
            await Task.WhenAll(S.Lines.Select(async line =>
            {
                var result = await Inventory(line.Sku).CommitAsync(S.ReservationId);
                if (result.Outcome == CommitOutcome.UnknownReservation)
                {
                    logger.LogError("Order {Order} was paid but its reservation of {Sku} was gone", Number, line.Sku);
                }
            }));
            S.HoldsStock = false;
        }

        if (S.HoldsCoupon && S.CouponCode is { } code)
        {
            if (!await GrainFactory.GetGrain<ICouponGrain>(code).ConfirmAsync(Number))
            {
                // A hold that lapsed before a late payment and no longer fits the limits: the order
                // keeps its price (the customer paid it), the coupon's limits stay intact.
                logger.LogWarning("Order {Order} was paid but coupon {Coupon} could not confirm its use", Number, code);
            }

            S.HoldsCoupon = false;
        }
    }

    private async Task ReleaseHoldsAsync()
    {
        if (S.HoldsStock)
        {
            await Task.WhenAll(S.Lines.Select(line => Inventory(line.Sku).ReleaseAsync(S.ReservationId)));
            S.HoldsStock = false;
        }

        if (S.HoldsCoupon && S.CouponCode is { } code)
        {
            await GrainFactory.GetGrain<ICouponGrain>(code).ReleaseAsync(Number);
            S.HoldsCoupon = false;
        }
    }

    private async Task RestockLinesAsync(IEnumerable<(OrderLine Line, int Quantity)> lines, Guid operationId, string notes)
    {
        await Task.WhenAll(lines.Select(x =>
            Inventory(x.Line.Sku).RestockAsync(x.Quantity, "return", $"{notes} ({Number})", null, Order.DeriveId(operationId, x.Line.Sku))));
    }

    /// <summary>
    /// Refunds through the gateway and records it; moves the order to (partially) refunded unless
    /// told not to. Every refund path comes here, and here the order's refund rule is asked before
    /// the gateway: null when refunded, else why not.
    /// </summary>
    private async Task<TransitionResult?> RefundPaymentAsync(decimal amount, string reason, long? byUserId, bool moveOrder = true)
    {
        if (_order.CheckRefund(amount, reason) is { } refused)
        {
            return refused;
        }

        var refundId = _order.RefundIdFor(amount, reason);
        var refund = await gateway.RefundAsync(S.Payment!.GatewayTransactionId ?? "", amount, refundId);
        if (!refund.Succeeded)
        {
            logger.LogWarning("Refund of {Amount} for order {Order} refused: {Error}", amount, Number, refund.Error);
            return new TransitionResult(TransitionOutcome.GatewayFailed, _order.Snapshot(), "The gateway refused the refund.");
        }

        _order.RecordRefund(refundId, amount, reason, refund.RefundId, byUserId, moveOrder);
        return null;
    }

    /// <summary>A capture the order cannot keep goes back in full; a refusal is left for staff, loudly.</summary>
    private async Task RefundOrLogAsync()
    {
        if (await RefundPaymentAsync(RefundRule.Refundable(S.Payment!), "order_cancelled", null) is { } refused)
        {
            logger.LogError("Order {Order} holds a capture it cannot keep and its refund failed: {Detail}", Number, refused.Detail);
        }
    }

    private async Task<TransitionResult> PersistIfDoneAsync(TransitionResult result)
    {
        if (result.Outcome == TransitionOutcome.Done)
        {
            await PersistAsync();
        }

        return result;
    }

    /// <param name="step">Makes the step; null when done, else the refusal (nothing changed).</param>
    private async Task<TransitionResult> ReturnStepAsync(Guid returnId, ReturnStatus expected, long byUserId, Func<ReturnRecord, Task<TransitionResult?>> step)
    {
        if (_order.FindReturn(returnId, expected, out var record) is { } refused)
        {
            return refused;
        }

        if (await step(record) is { } failed)
        {
            return failed;
        }

        _order.CompleteReturnStep(record, byUserId);
        await PersistAsync();
        return _order.Done();
    }

    private async Task<CheckoutResult> RejectAsync(
        CheckoutCommand command, CheckoutOutcome outcome, IReadOnlyList<CheckoutProblem> problems, string detail,
        CouponHoldOutcome? coupon = null, PaymentTermsRefusal? payment = null)
    {
        var result = _order.Reject(command, outcome, problems, detail, coupon, payment);
        await PersistAsync();
        return result;
    }

    private async Task ExpireIfDueAsync()
    {
        if (_order.PaymentIsDue)
        {
            await ReleaseHoldsAsync();
            _order.Expire();
            await PersistAsync();
        }
    }

    /// <summary>While active, a timer expires the order on time; the order sweeper covers an order no server holds.</summary>
    private void SchedulePaymentDue()
    {
        UnscheduledPaymentDue();
        if (S.Status != OrderStatus.AwaitingPayment || S.PaymentDueAt is not { } due)
        {
            return;
        }

        var wait = due - clock.GetUtcNow();
        _paymentDueTimer = this.RegisterGrainTimer(
            _ => ExpireIfDueAsync(),
            new GrainTimerCreationOptions(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan));
    }

    private void UnscheduledPaymentDue()
    {
        _paymentDueTimer?.Dispose();
        _paymentDueTimer = null;
    }

    private async Task ClearCartQuietlyAsync(string cartKey)
    {
        try
        {
            await GrainFactory.GetGrain<ICartGrain>(cartKey).ClearForOrderAsync(Number);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Cart {Cart} not cleared after order {Order}", cartKey, Number);
        }
    }

    private async Task PersistAsync()
    {
        await state.WriteOrDeactivateAsync(_pump, DeactivateOnIdle);
        if (S.Outbox.Count > 0)
        {
            _pump.Schedule();
        }
    }

    private IInventoryItemGrain Inventory(string sku) => GrainFactory.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku));
}
