using MestresCafe.Customers;
using MestresCafe.Orders;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// The invoiced ("faturado") path of checkout and its settlement: the account's credit grain
/// reserves the total (serialized per account, so concurrent invoiced orders never exceed the
/// limit together), the holds are committed at once (the order is confirmed unpaid), and the credit
/// is released when staff record the payment or the order is cancelled.
/// </summary>
public sealed partial class OrderGrain
{
    /// <summary>A release that failed (its account's server was away) is tried again this often while the order is active.</summary>
    private static readonly TimeSpan CreditReleaseRetry = TimeSpan.FromSeconds(30);
    private IGrainTimer? _creditReleaseTimer;

    private ICreditAccountGrain CreditAccount => GrainFactory.GetGrain<ICreditAccountGrain>(S.UserId);

    /// <summary>Checkout's last step for an invoiced order, in place of the gateway's charge.</summary>
    private async Task<CheckoutResult> PlaceOnInvoiceAsync(CheckoutCommand command)
    {
        // Set before the call: a crash after the credit grain's write and before ours leaves a
        // reservation that a retry with the same key finds again (it is keyed by the order number).
        S.HoldsCredit = true;
        var decision = await CreditAccount.ReserveAsync(Number, S.Totals.Total);
        if (!decision.Accepted)
        {
            await ReleaseHoldsAsync();
            var refused = _order.RejectOnCredit(command, decision);
            await PersistAsync();
            return refused;
        }

        // Confirmed without payment: the stock is sold and the coupon used now, as on a capture.
        await CommitHoldsAsync();
        _order.PlaceOnInvoice(command, decision.DueAt!.Value);
        await PersistAsync();
        await ClearCartQuietlyAsync(command.CartKey);
        return new CheckoutResult(CheckoutOutcome.Created, _order.Snapshot(), [], null);
    }

    public async Task<TransitionResult> RecordInvoicePaymentAsync(long byUserId)
    {
        var result = _order.RecordInvoicePayment(byUserId);
        if (result.Succeeded)
        {
            await PersistAsync();
            await ReleaseCreditAsync();
        }

        return result.Succeeded ? _order.Done() : result;
    }

    /// <summary>
    /// Gives the account its credit back once the invoice is paid or called off. Runs after the
    /// order's own write, so that a failure leaves the credit counted (never an unpaid invoice
    /// uncounted); the timer tries again.
    /// </summary>
    private async Task ReleaseCreditAsync()
    {
        if (_order.CreditToRelease is not { } reason)
        {
            return;
        }

        try
        {
            await CreditAccount.ReleaseAsync(Number, reason);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Credit of order {Order} not released yet; trying again", Number);
            ScheduleCreditRelease();
            return;
        }

        S.HoldsCredit = false;
        await PersistAsync();
        _creditReleaseTimer?.Dispose();
        _creditReleaseTimer = null;
    }

    private void ScheduleCreditRelease()
    {
        if (_order.CreditToRelease is null || _creditReleaseTimer is not null)
        {
            return;
        }

        _creditReleaseTimer = this.RegisterGrainTimer(_ => ReleaseCreditAsync(), new GrainTimerCreationOptions(CreditReleaseRetry, CreditReleaseRetry));
    }
}
