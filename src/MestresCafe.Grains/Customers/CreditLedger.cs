using MestresCafe.Customers;

namespace MestresCafe.Grains.Customers;

/// <summary>
/// A B2B account's credit, free of Orleans: an invoiced order reserves its total against the
/// credit limit and stays open until it is paid or cancelled. Exposure is the sum of the open
/// invoices; a reservation is accepted only when the account is approved (<see cref="CreditTerms.CheckApproved"/>),
/// no open invoice is past its due date, and the exposure with it stays within the limit.
/// <see cref="CreditAccountGrain"/> reads the terms, calls these and persists.
/// </summary>
public sealed class CreditLedger(CreditAccountState state, TimeProvider clock)
{
    private DateTimeOffset Now => clock.GetUtcNow();

    public decimal Exposure => state.OpenInvoices.Values.Sum(i => i.Amount);

    /// <summary>
    /// Reserves <paramref name="amount"/> for the order, or says why not (nothing changes then). The
    /// same order again answers its first reservation: a retried checkout is not counted twice.
    /// </summary>
    public CreditDecision Reserve(string orderNumber, decimal amount, CreditAccountTerms? terms)
    {
        var limit = terms?.CreditLimit ?? 0m;
        if (state.OpenInvoices.TryGetValue(orderNumber, out var reserved))
        {
            return new CreditDecision(null, reserved.DueAt, limit, Exposure, null);
        }

        if (CreditTerms.CheckApproved(terms) is { } notApproved)
        {
            return new CreditDecision(CreditRefusal.NotApproved, null, limit, Exposure, notApproved);
        }

        if (state.OpenInvoices.Values.Where(i => i.DueAt <= Now).OrderBy(i => i.DueAt).FirstOrDefault() is { } overdue)
        {
            return new CreditDecision(CreditRefusal.InvoiceOverdue, null, limit, Exposure,
                $"The invoice of order {overdue.OrderNumber} (R$ {overdue.Amount:0.00}) fell due on {overdue.DueAt:yyyy-MM-dd}: "
                + "new invoiced orders wait until it is paid.");
        }

        var exposure = Exposure;
        if (amount <= 0m || exposure + amount > limit)
        {
            return new CreditDecision(CreditRefusal.LimitExceeded, null, limit, exposure,
                $"This order of R$ {amount:0.00} exceeds the credit available on invoice: R$ {Math.Max(0m, limit - exposure):0.00} "
                + $"of a limit of R$ {limit:0.00}. Pay an open invoice or choose another payment method.");
        }

        var invoice = new OpenInvoice(orderNumber, amount, Now, Now.AddDays(CreditTerms.Days(terms!.PaymentTerms)!.Value));
        state.OpenInvoices[orderNumber] = invoice;
        Emit(new CreditEvent(Guid.NewGuid(), Now, orderNumber, amount, null));
        return new CreditDecision(null, invoice.DueAt, limit, exposure + amount, null);
    }

    /// <summary>The order's invoice leaves the exposure; false when it was not open (already released, or never reserved).</summary>
    public bool Release(string orderNumber, CreditRelease reason)
    {
        if (!state.OpenInvoices.Remove(orderNumber, out var invoice))
        {
            return false;
        }

        Emit(new CreditEvent(Guid.NewGuid(), Now, orderNumber, invoice.Amount, reason));
        return true;
    }

    public CreditAccountSnapshot Snapshot(long userId, CreditAccountTerms? terms) => new(
        userId, terms?.CreditLimit ?? 0m, terms?.PaymentTerms ?? CreditTerms.Prepaid, Exposure,
        state.OpenInvoices.Values.OrderBy(i => i.DueAt).ThenBy(i => i.OrderNumber, StringComparer.Ordinal).ToList());

    private void Emit(CreditEvent creditEvent)
    {
        state.Version++;
        state.Outbox.Add(creditEvent);
    }
}
