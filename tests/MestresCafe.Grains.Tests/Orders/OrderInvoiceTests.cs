using MestresCafe.Customers;
using MestresCafe.Grains.Orders;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>An invoiced ("faturado") order on the test bed: confirmed unpaid, paid later by staff's record, or called off.</summary>
public sealed class OrderInvoiceTests
{
    private readonly OrderTestBed _bed = new();

    private (Order Order, DateTimeOffset DueAt) Invoiced()
    {
        var order = _bed.Pending();
        var dueAt = _bed.Clock.GetUtcNow().AddDays(28);
        order.PlaceOnInvoice(OrderTestBed.Command(), dueAt);
        return (order, dueAt);
    }

    [Fact]
    public void An_invoiced_order_is_confirmed_unpaid_with_its_due_date_and_is_never_expired_for_want_of_payment()
    {
        var (order, dueAt) = Invoiced();

        var snapshot = order.Snapshot();
        Assert.Equal((OrderStatus.Processing, PaymentMethodKind.Invoice, PaymentStatus.Pending), (snapshot.Status, snapshot.Payment!.Method, snapshot.Payment.Status));
        Assert.Equal((dueAt, OrderTestBed.Total, (DateTimeOffset?)null), (snapshot.PaymentDueAt!.Value, snapshot.Payment.Amount, snapshot.PaidAt));
        Assert.StartsWith("fat_", snapshot.Payment.GatewayTransactionId);
        Assert.Equal(["->Pending", "Pending->Processing"],
            order.Outbox.OfType<OrderStatusChanged>().Select(e => $"{e.From}->{e.To}"));
        Assert.Null(order.CreditToRelease);

        _bed.Clock.Advance(TimeSpan.FromDays(40));
        Assert.False(order.PaymentIsDue);
    }

    [Fact]
    public void Recording_the_payment_pays_the_order_once_and_releases_its_credit()
    {
        var (order, _) = Invoiced();
        _bed.Clock.Advance(TimeSpan.FromDays(20));

        Assert.Equal(TransitionOutcome.Done, order.RecordInvoicePayment(OrderTestBed.Staff).Outcome);
        var events = order.Outbox.Count;
        Assert.Equal(TransitionOutcome.Done, order.RecordInvoicePayment(OrderTestBed.Staff).Outcome);

        var snapshot = order.Snapshot();
        Assert.Equal((PaymentStatus.Captured, _bed.Clock.GetUtcNow(), OrderStatus.Processing), (snapshot.Payment!.Status, snapshot.PaidAt!.Value, snapshot.Status));
        Assert.Equal(events, order.Outbox.Count);
        Assert.Equal(CreditRelease.Paid, order.CreditToRelease);
    }

    [Fact]
    public void A_cancelled_invoiced_order_calls_its_invoice_off_and_can_no_longer_be_paid()
    {
        var (order, _) = Invoiced();

        Assert.Null(order.CheckCancel(OrderTestBed.Staff, byCustomer: false, mayRefund: false, out var toRefund));
        Assert.Equal(0m, toRefund);
        order.CallOffInvoice();
        order.Cancel("pedido desistido", OrderTestBed.Staff);

        Assert.Equal(PaymentStatus.Cancelled, order.Snapshot().Payment!.Status);
        Assert.Equal(CreditRelease.Cancelled, order.CreditToRelease);
        Assert.Equal(TransitionOutcome.IllegalTransition, order.RecordInvoicePayment(OrderTestBed.Staff).Outcome);
    }

    [Fact]
    public void Only_an_invoiced_order_takes_a_recorded_payment()
    {
        var order = _bed.AwaitingPayment();

        Assert.Equal(TransitionOutcome.Invalid, order.RecordInvoicePayment(OrderTestBed.Staff).Outcome);
        Assert.Equal(PaymentStatus.Pending, order.Snapshot().Payment!.Status);
        Assert.Null(order.CreditToRelease);
    }
}
