namespace MestresCafe.Customers;

/// <summary>
/// A B2B account's credit, keyed by the account's user id (customers.user_id is one to one, so the
/// order, which knows its buyer, reaches it without a look-up). Not reentrant: every reservation
/// runs alone against the account's open invoices and is acknowledged only after the state write
/// that holds it, so concurrent invoiced checkouts can never exceed the credit limit together. The
/// grain is the only writer of customers.current_balance.
/// </summary>
public interface ICreditAccountGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Reserves <paramref name="amount"/> of the account's credit for an invoiced order; the invoice
    /// falls due after the account's payment terms. A repeated call for the same order answers the
    /// first reservation (idempotent by order number).
    /// </summary>
    Task<CreditDecision> ReserveAsync(string orderNumber, decimal amount);

    /// <summary>The order's invoice no longer counts against the limit: paid, or its order cancelled. Repeating it changes nothing.</summary>
    Task<CreditAccountSnapshot> ReleaseAsync(string orderNumber, CreditRelease reason);

    /// <summary>The limit and terms as the back office set them, the open invoices and what is left of the limit.</summary>
    Task<CreditAccountSnapshot> GetAsync();
}

[GenerateSerializer, Alias("mc.CreditRefusal")]
public enum CreditRefusal
{
    /// <summary>Not an active company account with payment terms and a credit limit.</summary>
    NotApproved = 0,
    /// <summary>The open invoices and this order together would exceed the credit limit.</summary>
    LimitExceeded = 1,
    /// <summary>An invoice is past its due date: no new invoiced order until it is paid.</summary>
    InvoiceOverdue = 2,
}

[GenerateSerializer, Alias("mc.CreditRelease")]
public enum CreditRelease
{
    Paid = 0,
    Cancelled = 1,
}

[GenerateSerializer, Alias("mc.CreditDecision")]
public sealed record CreditDecision(
    [property: Id(0)] CreditRefusal? Refusal,
    [property: Id(1)] DateTimeOffset? DueAt,
    [property: Id(2)] decimal CreditLimit,
    [property: Id(3)] decimal Exposure,
    [property: Id(4)] string? Detail)
{
    public bool Accepted => Refusal is null;
}

[GenerateSerializer, Alias("mc.OpenInvoice")]
public sealed record OpenInvoice(
    [property: Id(0)] string OrderNumber,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] DateTimeOffset ReservedAt,
    [property: Id(3)] DateTimeOffset DueAt);

[GenerateSerializer, Alias("mc.CreditAccountSnapshot")]
public sealed record CreditAccountSnapshot(
    [property: Id(0)] long UserId,
    [property: Id(1)] decimal CreditLimit,
    [property: Id(2)] string PaymentTerms,
    [property: Id(3)] decimal Exposure,
    [property: Id(4)] IReadOnlyList<OpenInvoice> OpenInvoices)
{
    /// <summary>What is left of the limit for new invoiced orders (never below zero: a lowered limit can leave an account over it).</summary>
    public decimal Available => Math.Max(0m, CreditLimit - Exposure);
}
