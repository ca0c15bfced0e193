using System.Globalization;

namespace MestresCafe.Customers;

/// <summary>
/// A company account's B2B terms as <c>customers</c> keeps them: <c>payment_terms</c> is
/// <c>prepaid</c> or <c>net_N</c> (the invoice falls due N days after the order, 1 to 120; "28 dias"
/// is <c>net_28</c>), and <c>credit_limit</c> caps what its unpaid invoices may add up to. One rule
/// for the credit grain, the back office's validation and the demo data.
/// </summary>
public static class CreditTerms
{
    public const string Prepaid = "prepaid";
    public const int MaxDays = 120;
    public const string Message = "prepaid, or net_1 to net_120 (days until the invoice falls due, e.g. net_28).";

    /// <summary>The days until an invoice falls due, or null for prepaid (or anything that is not terms).</summary>
    public static int? Days(string? paymentTerms) =>
        paymentTerms is { Length: > 4 } terms && terms.StartsWith("net_", StringComparison.Ordinal)
        && int.TryParse(terms.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
        && days is >= 1 and <= MaxDays && Net(days) == terms
            ? days
            : null;

    public static string Net(int days) => "net_" + days.ToString(CultureInfo.InvariantCulture);

    public static bool IsValid(string? paymentTerms) => paymentTerms == Prepaid || Days(paymentTerms) is not null;

    /// <summary>
    /// Why an account may not buy on invoice at all, or null when it is approved for it: an active
    /// company with terms in days and a credit limit above zero. Staff approve an account by giving
    /// it both (PUT /api/admin/customers/{id}/credit-terms).
    /// </summary>
    public static string? CheckApproved(CreditAccountTerms? account) =>
        account is null ? "Only a company account approved for invoiced purchases may pay on invoice."
        : !account.IsActive ? "This customer account is inactive."
        : account.CustomerType != "business" ? "Only a company account (CNPJ) may pay on invoice."
        : Days(account.PaymentTerms) is null || account.CreditLimit <= 0m
            ? "This account is not approved for invoiced purchases: ask our sales team for payment terms and a credit limit."
            : null;
}

/// <summary>What the credit grain reads of its account right before it decides (written by the back office).</summary>
public sealed record CreditAccountTerms(long CustomerId, long UserId, string CustomerType, bool IsActive, decimal CreditLimit, string PaymentTerms);
