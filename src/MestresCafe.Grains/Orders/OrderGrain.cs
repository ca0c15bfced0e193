using MestresCafe.Cart;
using MestresCafe.Coupons;
using MestresCafe.Data.Pricing;
using MestresCafe.Grains.Loyalty;
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
public sealed class OrderGrain(
    [PersistentState("order", StorageNames.Store)] IPersistentState<OrderState> state,
    CatalogPrices prices,
    IPaymentGateway gateway,
    OrderProjection projection,
    IOptions<PaymentOptions> paymentOptions,
    IOptions<StockHoldOptions> holdOptions,
    TimeProvider clock,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain, IRemindable
{
    private const string PaymentDueReminder = "payment-due";
    private static readonly TimeSpan PaymentDueTick = TimeSpan.FromMinutes(1);
    /// <summary>A hold taken again for a late capture lasts only until the capture commits it.</summary>
    private static readonly TimeSpan CaptureHold = TimeSpan.FromMinutes(5);
    private OutboxPump<OrderEvent> _pump = null!;
    private IGrainTimer? _paymentDueTimer;

    private OrderState S => state.State;
    private string Number => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pump = new OutboxPump<OrderEvent>(this, new(() => S.Exists ? S.Outbox : [], ProjectAsync, applied => S.Outbox.RemoveRange(0, applied.Count), e => e.EventId), logger);
        if (S.Outbox.Count > 0)
        {
            _pump.Schedule();
        }

        SchedulePaymentDue();
        return Task.CompletedTask;
    }

    public Task<OrderSnapshot?> GetAsync() => Task.FromResult(S.Exists ? Snapshot() : null);

    public async Task<CheckoutResult> CheckoutAsync(CheckoutCommand command)
    {
        if (S.Exists || S.Rejection is not null)
        {
            return S.RequestHash != command.RequestHash
                ? new CheckoutResult(CheckoutOutcome.KeyReusedWithAnotherBody, null, [], "This Idempotency-Key was used with another request.")
                : S.Rejection ?? new CheckoutResult(CheckoutOutcome.Created, Snapshot(), [], null);
        }

        if (S.Status == OrderStatus.Pending && S.RequestHash.Length > 0 && S.RequestHash != command.RequestHash)
        {
            return new CheckoutResult(CheckoutOutcome.KeyReusedWithAnotherBody, null, [], "This Idempotency-Key was used with another request.");
        }

        var lines = command.Lines.GroupBy(l => l.Sku).Select(g => new CheckoutLine(g.Key, g.Sum(l => l.Quantity))).ToList();
        if (lines.Count == 0)
        {
            return await RejectAsync(command, CheckoutOutcome.EmptyCart, [], "The cart is empty.");
        }

        var priced = await prices.GetAsync(lines.Select(l => l.Sku));
        var invalid = lines
            .Where(l => !priced.TryGetValue(l.Sku, out var item) || !item.IsActive || l.Quantity is < 1 or > CartKey.MaxQuantityPerLine)
            .Select(l => new CheckoutProblem(l.Sku, priced.ContainsKey(l.Sku) ? "invalid_quantity_or_inactive" : "unknown_item", null))
            .ToList();
        if (invalid.Count > 0)
        {
            return await RejectAsync(command, CheckoutOutcome.InvalidLines, invalid, "Some lines cannot be bought.");
        }

        var maxPerLine = holdOptions.Value.MaxUnitsPerOrderLine;
        var overLimit = lines.Where(l => l.Quantity > maxPerLine).Select(l => new CheckoutProblem(l.Sku, "order_line_limit", null)).ToList();
        if (overLimit.Count > 0)
        {
            return await RejectAsync(command, CheckoutOutcome.InvalidLines, overLimit, $"At most {maxPerLine} units of one item per order.");
        }

        var now = clock.GetUtcNow();
        var window = paymentOptions.Value.WindowFor(command.PaymentMethod);
        BeginCheckout(command, lines, priced, now, window);
        await PersistAsync(); // the intent, so a retry after a crash resumes with the same holds

        // The stock hold may be shorter than the payment window (boleto): a late payment takes the
        // stock again if it is still there, or is refunded (see HoldStockForCaptureAsync).
        var stockHeldUntil = now + holdOptions.Value.HoldFor(command.PaymentMethod, window) + paymentOptions.Value.ReservationMargin;
        var holdsUntil = now + window + paymentOptions.Value.ReservationMargin;
        S.StockHeldUntil = stockHeldUntil;
        var shortages = await ReserveAllAsync(stockHeldUntil);
        if (shortages.Count > 0)
        {
            await ReleaseHoldsAsync();
            return shortages.Any(s => s.Reason == nameof(ReservationOutcome.CustomerLimitReached))
                ? await RejectAsync(command, CheckoutOutcome.HoldLimitReached, shortages,
                    $"Unpaid orders may hold at most {holdOptions.Value.MaxUnitsPerCustomer} units of one item: pay or cancel an open order first.")
                : await RejectAsync(command, CheckoutOutcome.InsufficientStock, shortages, "Some lines are not available in the quantity asked.");
        }

        var subtotal = S.Lines.Sum(l => l.LineTotal);
        var anythingToShip = S.Lines.Any(l => priced[l.Sku].RequiresShipping);
        var baseShipping = OrderRules.Shipping(S.ShippingMethod, subtotal, anythingToShip);
        CouponHoldResult? coupon = null;
        if (command.CouponCode is { Length: > 0 } code)
        {
            coupon = await HoldCouponAsync(command, code, baseShipping, holdsUntil);
            if (!coupon.Succeeded)
            {
                await ReleaseHoldsAsync();
                return await RejectAsync(command, CheckoutOutcome.CouponRefused,
                    [new CheckoutProblem(code, coupon.Outcome.ToString(), null)], $"The coupon cannot be used: {coupon.Outcome}.");
            }
        }

        var discount = coupon?.Discount ?? 0m;
        var shipping = OrderRules.Shipping(S.ShippingMethod, subtotal - discount, anythingToShip);
        if (coupon?.FreeShipping == true)
        {
            // The coupon waives shipping up to its cap; the hold priced it on the shipping before discount.
            shipping = Math.Max(0m, shipping - coupon.ShippingDiscount);
        }

        S.Totals = OrderRules.Totals(subtotal, discount, shipping);

        var charge = await ChargeAsync(command);
        if (charge.Status == GatewayChargeStatus.Declined)
        {
            await ReleaseHoldsAsync();
            return await RejectAsync(command, CheckoutOutcome.PaymentDeclined, [], $"The payment was declined: {charge.DeclineReason}.");
        }

        S.Exists = true;
        S.Payment = new PaymentRecord
        {
            PaymentId = PaymentIdFor(Number),
            Method = command.PaymentMethod,
            Status = charge.Status == GatewayChargeStatus.Authorized ? PaymentStatus.Authorized : PaymentStatus.Pending,
            Amount = S.Totals.Total,
            GatewayTransactionId = charge.TransactionId,
            PixCode = charge.PixCode,
            BoletoLine = charge.BoletoLine,
        };
        Emit(new OrderPlaced(Guid.NewGuid(), now));
        Emit(new OrderStatusChanged(Guid.NewGuid(), now, null, OrderStatus.Pending, "checkout", command.UserId));
        MoveTo(OrderStatus.AwaitingPayment, "aguardando pagamento", command.UserId);
        Emit(new OrderPaymentChanged(Guid.NewGuid(), now));
        // The reminder is in place before the state write: a server dying between the two would
        // otherwise leave an unpaid order that never expires. It ticks every minute from the
        // first, so an order whose server died before its projection is woken, and its outbox
        // applied, within about a minute; a tick before the due time changes nothing.
        await RegisterPaymentDueReminderAsync(window);
        await PersistAsync();
        SchedulePaymentDue();

        if (command.CartKey is { } cartKey)
        {
            await ClearCartQuietlyAsync(cartKey);
        }

        return new CheckoutResult(CheckoutOutcome.Created, Snapshot(), [], null);
    }

    public async Task<TransitionResult> ApplyPaymentEventAsync(PaymentEvent paymentEvent)
    {
        if (!S.Exists || S.Payment is not { } payment)
        {
            return new TransitionResult(TransitionOutcome.NotFound, null, "No such order.");
        }

        if (payment.GatewayTransactionId is { } known && known != paymentEvent.GatewayTransactionId)
        {
            logger.LogWarning("Payment event {Event} for order {Order} names transaction {Transaction}, not the order's {Known}: refused",
                paymentEvent.ExternalEventId, Number, paymentEvent.GatewayTransactionId, known);
            return new TransitionResult(TransitionOutcome.Invalid, Snapshot(), "The transaction does not belong to this order.");
        }

        if (paymentEvent.Type == "payment.captured" && paymentEvent.Amount != payment.Amount)
        {
            // A capture of another amount is not this order's payment: marking the order paid would
            // ship goods for less than their price. Left for reconciliation, the order unchanged.
            logger.LogWarning("Payment event {Event} for order {Order} captures {Captured}, not the order's {Amount}: refused",
                paymentEvent.ExternalEventId, Number, paymentEvent.Amount, payment.Amount);
            return new TransitionResult(TransitionOutcome.Invalid, Snapshot(),
                $"The capture of {paymentEvent.Amount:0.00} does not match the order's payment of {payment.Amount:0.00}.");
        }

        if (!S.AppliedPaymentEvents.Add(paymentEvent.ExternalEventId))
        {
            return Done();
        }

        payment.GatewayTransactionId ??= paymentEvent.GatewayTransactionId;
        switch (paymentEvent.Type)
        {
            case "payment.captured" when S.Status == OrderStatus.AwaitingPayment && !await HoldStockForCaptureAsync():
                // Paid after its stock hold lapsed (a boleto pays days after its hours-long hold) and
                // the units were sold meanwhile: the payment goes back, as a payment platform does
                // when it cannot fulfil, rather than promising stock a micro-lot may never get again.
                await ReleaseHoldsAsync();
                payment.Status = PaymentStatus.Captured;
                payment.ProcessedAt = paymentEvent.OccurredAt;
                S.CancelledAt = clock.GetUtcNow();
                MoveTo(OrderStatus.Cancelled, "estoque esgotado antes do pagamento", null);
                await RefundOrLogAsync(payment);
                UnscheduledPaymentDue();
                break;

            case "payment.captured" when S.Status == OrderStatus.AwaitingPayment:
                await CommitHoldsAsync();
                payment.Status = PaymentStatus.Captured;
                payment.ProcessedAt = paymentEvent.OccurredAt;
                S.PaidAt = clock.GetUtcNow();
                MoveTo(OrderStatus.Paid, "pagamento confirmado", null);
                Emit(new OrderPaymentChanged(Guid.NewGuid(), clock.GetUtcNow()));
                UnscheduledPaymentDue();
                break;

            case "payment.captured" when S.Status == OrderStatus.Cancelled && payment.Status is not (PaymentStatus.Captured or PaymentStatus.Refunded):
                // Paid after the order had expired: the money goes back; the goods were already released.
                payment.Status = PaymentStatus.Captured;
                payment.ProcessedAt = paymentEvent.OccurredAt;
                await RefundOrLogAsync(payment);
                break;

            case "payment.failed" or "payment.expired" when S.Status == OrderStatus.AwaitingPayment:
                await ReleaseHoldsAsync();
                payment.Status = paymentEvent.Type == "payment.failed" ? PaymentStatus.Failed : PaymentStatus.Expired;
                payment.ProcessedAt = paymentEvent.OccurredAt;
                S.CancelledAt = clock.GetUtcNow();
                MoveTo(OrderStatus.Cancelled, paymentEvent.Type == "payment.failed" ? "pagamento recusado" : "pagamento expirado", null);
                Emit(new OrderPaymentChanged(Guid.NewGuid(), clock.GetUtcNow()));
                UnscheduledPaymentDue();
                break;

            default:
                // Stale or out of order (a failure after the capture, a capture already applied): recorded, ignored.
                logger.LogInformation("Payment event {Type} ignored for order {Order} in status {Status}", paymentEvent.Type, Number, S.Status);
                break;
        }

        await PersistAsync();
        return Done();
    }

    public async Task<TransitionResult> CancelAsync(long? byUserId, string reason, bool byCustomer, bool mayRefund)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        var customerMay = S.Status is OrderStatus.AwaitingPayment or OrderStatus.Paid;
        if (!OrderRules.CanMove(S.Status, OrderStatus.Cancelled) || (byCustomer && !customerMay))
        {
            return Illegal(OrderStatus.Cancelled);
        }

        var toRefund = RefundRule.Refundable(S.Payment!);
        if (toRefund > 0 && !byCustomer && !mayRefund)
        {
            return Forbidden("Cancelling a paid order refunds it: that needs the refund permission.");
        }

        if (toRefund > 0 && RefundRule.IsSelfApproval(S.UserId, byUserId, byCustomer))
        {
            return Forbidden("Staff cannot refund (or cancel after payment) an order they placed themselves.");
        }

        if (S.Status == OrderStatus.AwaitingPayment)
        {
            await ReleaseHoldsAsync();
            S.Payment!.Status = PaymentStatus.Cancelled;
        }
        else
        {
            // The refund first: a refused refund leaves the order paid and its goods where they are.
            if (toRefund > 0 && await RefundPaymentAsync(toRefund, "order_cancelled", byUserId, moveOrder: false) is not null)
            {
                return new TransitionResult(TransitionOutcome.GatewayFailed, Snapshot(), "The refund could not be made; the order was not cancelled.");
            }

            await RestockLinesAsync(S.Lines.Select(l => (l, l.Quantity)), OperationId("cancel"), "cancelamento do pedido");
        }

        S.CancelledAt = clock.GetUtcNow();
        MoveTo(OrderStatus.Cancelled, reason, byUserId);
        Emit(new OrderPaymentChanged(Guid.NewGuid(), clock.GetUtcNow()));
        UnscheduledPaymentDue();
        await PersistAsync();
        return Done();
    }

    public Task<TransitionResult> StartProcessingAsync(long byUserId) =>
        SimpleTransitionAsync(OrderStatus.Processing, "em separação", byUserId, () => { });

    public Task<TransitionResult> ShipAsync(string trackingNumber, long byUserId) =>
        string.IsNullOrWhiteSpace(trackingNumber) || trackingNumber.Length > 64
            ? Task.FromResult(new TransitionResult(TransitionOutcome.Invalid, S.Exists ? Snapshot() : null, "A tracking number of 1 to 64 characters is required."))
            : SimpleTransitionAsync(OrderStatus.Shipped, "enviado: " + trackingNumber, byUserId, () =>
            {
                S.TrackingNumber = trackingNumber.Trim();
                S.ShippedAt = clock.GetUtcNow();
            });

    public Task<TransitionResult> DeliverAsync(long byUserId) =>
        S.Exists && S.ShippedAt is null
            ? Task.FromResult(Illegal(OrderStatus.Delivered))
            : SimpleTransitionAsync(OrderStatus.Delivered, "entregue", byUserId, () => S.DeliveredAt = clock.GetUtcNow());

    public async Task<TransitionResult> RefundAsync(decimal amount, string reason, long byUserId)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (RefundRule.IsSelfApproval(S.UserId, byUserId, byCustomer: false))
        {
            return SelfRefund();
        }

        if (S.Payment is not { Status: PaymentStatus.Captured or PaymentStatus.PartiallyRefunded } payment || !OrderRules.CanMove(S.Status, OrderStatus.PartiallyRefunded))
        {
            return Illegal(OrderStatus.Refunded);
        }

        if (!OrderRules.RefundReasons.Contains(reason))
        {
            // payment_refunds accepts only these; anything else would stall the projection forever.
            return new TransitionResult(TransitionOutcome.Invalid, Snapshot(), $"The reason must be one of: {string.Join(", ", OrderRules.RefundReasons)}.");
        }

        if (await RefundPaymentAsync(amount, reason, byUserId) is { } refused)
        {
            return refused;
        }

        await PersistAsync();
        return Done();
    }

    public async Task<TransitionResult> RequestReturnAsync(ReturnRequest request, long byUserId)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (S.DeliveredAt is not { } deliveredAt || S.Status is not (OrderStatus.Delivered or OrderStatus.PartiallyRefunded))
        {
            return new TransitionResult(TransitionOutcome.IllegalTransition, Snapshot(), "Only delivered orders can be returned.");
        }

        if (clock.GetUtcNow() - deliveredAt > TimeSpan.FromDays(30))
        {
            return new TransitionResult(TransitionOutcome.IllegalTransition, Snapshot(), "The 30-day return period has passed.");
        }

        var line = S.Lines.FirstOrDefault(l => l.Sku == request.Sku);
        var alreadyReturned = S.Returns.Where(r => r.Sku == request.Sku && r.Status != ReturnStatus.Rejected).Sum(r => r.Quantity);
        if (line is null || request.Quantity < 1 || request.Quantity > line.Quantity - alreadyReturned)
        {
            return new TransitionResult(TransitionOutcome.Invalid, Snapshot(), "The item is not in the order or the quantity exceeds what can still be returned.");
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
            RequestedAt = clock.GetUtcNow(),
        };
        S.Returns.Add(record);
        Emit(new OrderReturnChanged(Guid.NewGuid(), clock.GetUtcNow(), record.ReturnId));
        await PersistAsync();
        return Done();
    }

    public Task<TransitionResult> ApproveReturnAsync(Guid returnId, bool approve, long byUserId) =>
        ReturnStepAsync(returnId, ReturnStatus.Requested, byUserId, record =>
        {
            record.Status = approve ? ReturnStatus.Approved : ReturnStatus.Rejected;
            record.ApprovedAt = clock.GetUtcNow();
            return Task.FromResult<TransitionResult?>(null);
        });

    public Task<TransitionResult> ReceiveReturnAsync(Guid returnId, long byUserId) =>
        ReturnStepAsync(returnId, ReturnStatus.Approved, byUserId, async record =>
        {
            var line = S.Lines.First(l => l.Sku == record.Sku);
            await RestockLinesAsync([(line, record.Quantity)], record.ReturnId, "devolução " + record.ReturnId.ToString("N")[..8]);
            record.Status = ReturnStatus.Received;
            return (TransitionResult?)null;
        });

    public Task<TransitionResult> RefundReturnAsync(Guid returnId, long byUserId) =>
        S.Exists && RefundRule.IsSelfApproval(S.UserId, byUserId, byCustomer: false)
            ? Task.FromResult(SelfRefund())
            : ReturnStepAsync(returnId, ReturnStatus.Received, byUserId, async record =>
            {
                var amount = RefundRule.ForReturn(S.Payment!, record.RefundAmount);
                if (await RefundPaymentAsync(amount, "return", byUserId) is { } refused)
                {
                    return refused;
                }

                record.RefundAmount = amount;
                record.Status = ReturnStatus.Refunded;
                return null;
            });

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

    private void BeginCheckout(CheckoutCommand command, List<CheckoutLine> lines, IReadOnlyDictionary<string, PricedItem> priced, DateTimeOffset now, TimeSpan window)
    {
        S.UserId = command.UserId;
        S.IdempotencyKey = command.IdempotencyKey;
        S.RequestHash = command.RequestHash;
        S.Status = OrderStatus.Pending;
        S.Lines = lines.Select(l =>
        {
            var item = priced[l.Sku];
            return new OrderLine(l.Sku, item.ProductId, item.VariantId, item.Name, l.Quantity, item.UnitPrice, item.UnitPrice * l.Quantity, item.CategoryIds);
        }).ToList();
        S.ShippingAddress = command.ShippingAddress;
        S.BillingAddress = command.BillingAddress;
        S.ShippingMethod = command.ShippingMethod;
        S.CouponCode = command.CouponCode is { Length: > 0 } code ? code.ToUpperInvariant() : null;
        S.ReservationId = OrderNumbers.ReservationId(Number);
        S.CreatedAt = now;
        S.PaymentDueAt = now + window;
        S.HoldsStock = true;
    }

    private async Task<List<CheckoutProblem>> ReserveAllAsync(DateTimeOffset until)
    {
        var outcomes = await Task.WhenAll(S.Lines.Select(async line =>
        {
            try
            {
                var result = await Inventory(line.Sku).ReserveForCustomerAsync(
                    S.ReservationId, line.Quantity, until, new CustomerHoldLimit(S.UserId, holdOptions.Value.MaxUnitsPerCustomer));
                return result.Succeeded ? null : new CheckoutProblem(line.Sku, result.Outcome.ToString(), result.AvailableAfter);
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "Reservation of {Sku} for order {Order} failed", line.Sku, Number);
                return new CheckoutProblem(line.Sku, "unavailable", null);
            }
        }));
        return outcomes.OfType<CheckoutProblem>().ToList();
    }

    private async Task<CouponHoldResult> HoldCouponAsync(CheckoutCommand command, string code, decimal shipping, DateTimeOffset until)
    {
        S.HoldsCoupon = true;
        var standing = await projection.FirstOrderStandingAsync(command.UserId, Number);
        var request = new CouponHoldRequest(
            Number, command.UserId, S.Lines.Select(l => new CouponLine(l.ProductId, l.CategoryIds, l.LineTotal)).ToList(),
            shipping, standing.IsFirstOrder, command.CustomerGroupIds, until)
        {
            ShippingMethod = S.ShippingMethod,
            ShippingState = S.ShippingAddress?.State,
            IsEmailVerified = standing.IsEmailVerified,
        };
        return await GrainFactory.GetGrain<ICouponGrain>(code.ToUpperInvariant()).HoldAsync(request);
    }

    private async Task<GatewayCharge> ChargeAsync(CheckoutCommand command)
    {
        try
        {
            return await gateway.CreateChargeAsync(new ChargeRequest(PaymentIdFor(Number), Number, S.Totals.Total, command.PaymentMethod, command.CardToken));
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
            Inventory(x.Line.Sku).RestockAsync(x.Quantity, "return", $"{notes} ({Number})", null, DeriveId(operationId, x.Line.Sku))));
    }

    /// <summary>
    /// Refunds through the gateway and records it; moves the order to (partially) refunded unless
    /// told not to. Every refund path comes here, and here the refund rule is asked before the
    /// gateway: null when refunded, else why not.
    /// </summary>
    private async Task<TransitionResult?> RefundPaymentAsync(decimal amount, string reason, long? byUserId, bool moveOrder = true)
    {
        var payment = S.Payment!;
        var check = RefundRule.Check(payment, amount);
        if (check != RefundCheck.Allowed)
        {
            return new TransitionResult(TransitionOutcome.Invalid, Snapshot(), RefundRule.Explain(check, payment));
        }

        var refundId = DeriveId(payment.PaymentId, $"refund:{payment.RefundedAmount}:{amount}:{reason}");
        var refund = await gateway.RefundAsync(payment.GatewayTransactionId ?? "", amount, refundId);
        if (!refund.Succeeded)
        {
            logger.LogWarning("Refund of {Amount} for order {Order} refused: {Error}", amount, Number, refund.Error);
            return new TransitionResult(TransitionOutcome.GatewayFailed, Snapshot(), "The gateway refused the refund.");
        }

        RefundRule.Record(payment, amount);
        var now = clock.GetUtcNow();
        Emit(new OrderRefunded(refundId, now, amount, reason, refund.RefundId, byUserId));
        Emit(new OrderPaymentChanged(Guid.NewGuid(), now));
        if (moveOrder)
        {
            var target = payment.Status == PaymentStatus.Refunded ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
            // A second partial refund changes no status: order_status_history records changes only
            // (a row from partially_refunded to itself stalled the projection); payment_refunds has it.
            if (target != S.Status && OrderRules.CanMove(S.Status, target))
            {
                MoveTo(target, $"reembolso de R$ {amount:0.00}", byUserId);
            }
        }

        return null;
    }

    /// <summary>A capture the order cannot keep goes back in full; a refusal is left for staff, loudly.</summary>
    private async Task RefundOrLogAsync(PaymentRecord payment)
    {
        if (await RefundPaymentAsync(RefundRule.Refundable(payment), "order_cancelled", null) is { } refused)
        {
            logger.LogError("Order {Order} holds a capture it cannot keep and its refund failed: {Detail}", Number, refused.Detail);
        }
    }

    private async Task<TransitionResult> SimpleTransitionAsync(OrderStatus target, string comment, long byUserId, Action apply)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        if (!OrderRules.CanMove(S.Status, target))
        {
            return Illegal(target);
        }

        apply();
        MoveTo(target, comment, byUserId);
        await PersistAsync();
        return Done();
    }

    /// <param name="step">Makes the step; null when done, else the refusal (nothing changed).</param>
    private async Task<TransitionResult> ReturnStepAsync(Guid returnId, ReturnStatus expected, long byUserId, Func<ReturnRecord, Task<TransitionResult?>> step)
    {
        if (!S.Exists)
        {
            return NotFound();
        }

        var record = S.Returns.FirstOrDefault(r => r.ReturnId == returnId);
        if (record is null)
        {
            return new TransitionResult(TransitionOutcome.NotFound, Snapshot(), "No such return.");
        }

        if (record.Status != expected)
        {
            return new TransitionResult(TransitionOutcome.IllegalTransition, Snapshot(), $"The return is {record.Status}, not {expected}.");
        }

        if (await step(record) is { } refused)
        {
            return refused;
        }

        record.ProcessedAt = clock.GetUtcNow();
        record.ProcessedBy = byUserId;
        Emit(new OrderReturnChanged(Guid.NewGuid(), clock.GetUtcNow(), record.ReturnId));
        await PersistAsync();
        return Done();
    }

    private async Task<CheckoutResult> RejectAsync(CheckoutCommand command, CheckoutOutcome outcome, IReadOnlyList<CheckoutProblem> problems, string detail)
    {
        var result = new CheckoutResult(outcome, null, problems, detail);
        S.RequestHash = command.RequestHash;
        S.UserId = command.UserId;
        S.Status = OrderStatus.Rejected;
        S.Rejection = result;
        await PersistAsync();
        return result;
    }

    private async Task ExpireIfDueAsync()
    {
        if (S.Status == OrderStatus.AwaitingPayment && S.PaymentDueAt <= clock.GetUtcNow())
        {
            await ReleaseHoldsAsync();
            S.Payment!.Status = PaymentStatus.Expired;
            S.CancelledAt = clock.GetUtcNow();
            MoveTo(OrderStatus.Cancelled, "prazo de pagamento expirado", null);
            Emit(new OrderPaymentChanged(Guid.NewGuid(), clock.GetUtcNow()));
            await PersistAsync();
        }
    }

    /// <summary>While active, a timer expires the order on time; the reminder covers an idle grain.</summary>
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

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// Like a failed state write, a failed registration leaves this activation holding an order it
    /// never stored: it must not answer a retry from memory, so it goes and the retry starts from
    /// what PostgreSQL holds. (A PostgreSQL crash run acknowledged such unstored orders.)
    /// </summary>
    private async Task RegisterPaymentDueReminderAsync(TimeSpan window)
    {
        try
        {
            await this.RegisterOrUpdateReminder(PaymentDueReminder, Min(window, PaymentDueTick), PaymentDueTick);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
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
            await GrainFactory.GetGrain<ICartGrain>(cartKey).ClearAsync();
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Cart {Cart} not cleared after order {Order}", cartKey, Number);
        }
    }

    private void MoveTo(OrderStatus target, string? comment, long? byUserId)
    {
        var from = S.Status;
        S.Status = target;
        Emit(new OrderStatusChanged(Guid.NewGuid(), clock.GetUtcNow(), from, target, comment, byUserId));
    }

    private void Emit(OrderEvent orderEvent)
    {
        S.Version++;
        S.Outbox.Add(orderEvent);
    }

    private async Task PersistAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        if (S.Outbox.Count > 0)
        {
            _pump.Schedule();
        }
    }

    private async Task ProjectAsync(IReadOnlyList<OrderEvent> batch, CancellationToken cancellationToken)
    {
        await projection.ApplyAsync(Number, S, batch, cancellationToken);
        // Before the removal, so that a failure or crash publishes again: at least once, counted once by event id.
        await OrderLoyaltyFeed.PublishAsync(this, Number, S, batch);
    }

    private IInventoryItemGrain Inventory(string sku) => GrainFactory.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku));

    private OrderSnapshot Snapshot() => new(
        Number, S.UserId, S.Status, S.Lines, S.Totals, S.CouponCode, S.ShippingAddress!, S.BillingAddress, S.ShippingMethod,
        S.Payment?.ToInfo(), S.TrackingNumber, S.CreatedAt, S.PaidAt, S.ShippedAt, S.DeliveredAt, S.CancelledAt, S.PaymentDueAt,
        S.Returns.Select(r => r.ToInfo()).ToList(), S.Version);

    private TransitionResult Done() => new(TransitionOutcome.Done, Snapshot(), null);

    private TransitionResult Forbidden(string detail) => new(TransitionOutcome.Forbidden, Snapshot(), detail);

    private TransitionResult SelfRefund() => Forbidden("Staff cannot refund an order they placed themselves.");

    private TransitionResult NotFound() => new(TransitionOutcome.NotFound, null, "No such order.");

    private TransitionResult Illegal(OrderStatus target) =>
        new(TransitionOutcome.IllegalTransition, Snapshot(), $"An order that is {S.Status.ToSql()} cannot become {target.ToSql()}.");

    private static Guid PaymentIdFor(string orderNumber) => DeriveId(Guid.Empty, "payment:" + orderNumber);

    private Guid OperationId(string what) => DeriveId(S.ReservationId, what);

    private static Guid DeriveId(Guid scope, string what) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{scope:N}:{what}")));
}
