using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Orders;
using MestresCafe.Api.Security;
using MestresCafe.Customers;
using MestresCafe.Data.Customers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Customers;

/// <summary>
/// B2B terms in the back office: staff approve a company account for invoiced ("faturado")
/// purchases by giving it payment terms and a credit limit, read its credit (the open invoices its
/// credit grain holds), and list the receivables, overdue first. The buyer reads its own credit at
/// /api/me/credit.
/// </summary>
public static class CreditAdminApi
{
    /// <summary>
    /// Granting credit moves money as a refund does: the same trust (managers and administrators),
    /// not the support role's customers:write.
    /// </summary>
    public const string CreditPermission = OrdersAdminApi.RefundPermission;

    public static RouteGroupBuilder MapCreditApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/admin/customers").WithTags(CustomersAdminApi.Tag)
            .ProducesProblem(StatusCodes.Status404NotFound);
        customers.MapPut("/{id:long}/credit-terms", SetTermsAsync).RequirePermission(CreditPermission).WithName("SetCustomerCreditTerms")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Approves (or withdraws) a company account's invoiced purchases: payment terms net_N (days until the invoice falls due, e.g. net_28) or prepaid, and the credit limit its open invoices may reach.")
            .WithDescription("Audited. Terms in days need a company (business) customer: 422 otherwise. A limit lowered below the open invoices refuses new invoiced orders until enough is paid; nothing already invoiced changes.")
            .WithJsonExamples(CrmExamples.CreditTerms, CrmExamples.Credit);
        customers.MapGet("/{id:long}/credit", GetCreditAsync).RequirePermission(CustomersAdminApi.ReadPermission).WithName("GetCustomerCredit")
            .WithSummary("A B2B account's credit as its credit grain holds it now: limit, terms, exposure (open invoices), what is available and each open invoice with its due date.")
            .WithJsonExamples(null, CrmExamples.Credit);
        api.MapGet("/admin/invoices", ListInvoicesAsync).RequirePermission("payments:read").WithTags(CustomersAdminApi.Tag).WithName("ListOpenInvoices")
            .WithSummary("Receivables: invoiced orders not yet paid, by due date; overdue=true keeps those past due on asOf (default now), with the days overdue.")
            .WithDescription("Record a payment with POST /api/admin/orders/{orderNumber}/invoice-payment.")
            .WithJsonExamples(null, CrmExamples.Invoices);
        api.MapGet("/me/credit", GetMyCreditAsync).RequireAuthorization().WithTags("Customers").WithName("GetMyCredit")
            .WithSummary("The signed-in company's invoiced-purchase terms: limit, payment terms, open invoices and the credit available for the next invoiced order.")
            .WithJsonExamples(null, CrmExamples.Credit)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<CreditView>, ValidationProblem, ProblemHttpResult>> SetTermsAsync(
        long id, CreditTermsInput body, HttpContext http, AuditedWriter writer, CreditAccountStore accounts, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var result = await writer.RunAsync(http, CustomersAdminApi.Action + ".credit_terms", "customers", async (scope, ct) =>
            await accounts.TermsAsync(id, ct) is not { } account ? WriteOutcome.Fail(Problems.NotFound("No such customer."))
            : body.PaymentTerms != CreditTerms.Prepaid && account.CustomerType != "business"
                ? WriteOutcome.Fail(Problems.Unprocessable("paymentTerms", "Only a company (business) customer buys on payment terms."))
                : WriteOutcome.Done(await accounts.SetTermsAsync(scope, id, body.CreditLimit!.Value, body.PaymentTerms!, ct)));
        return result.Problem switch
        {
            ValidationProblem validation => validation,
            ProblemHttpResult problem => problem,
            _ => (await CreditAsync(id, accounts, grains, cancellationToken)).Result switch
            {
                Ok<CreditView> ok => ok,
                var other => (ProblemHttpResult)other,
            },
        };
    }

    private static Task<Results<Ok<CreditView>, ProblemHttpResult>> GetCreditAsync(long id, CreditAccountStore accounts, IGrainFactory grains, CancellationToken cancellationToken) =>
        CreditAsync(id, accounts, grains, cancellationToken);

    private static async Task<Results<Ok<CreditView>, ProblemHttpResult>> GetMyCreditAsync(HttpContext http, CreditAccountStore accounts, IGrainFactory grains, CancellationToken cancellationToken) =>
        await accounts.TermsForUserAsync(http.User.GetUserId(), cancellationToken) is { } account
            ? TypedResults.Ok(await ViewAsync(account, grains))
            : Problems.NotFound("No customer record yet.");

    private static async Task<Ok<IReadOnlyList<OpenInvoiceRow>>> ListInvoicesAsync(
        InvoiceQuery invoices, TimeProvider clock, CancellationToken cancellationToken,
        bool overdue = false, DateTimeOffset? asOf = null, [Range(1, long.MaxValue)] long? customerId = null,
        [Range(1, 10_000)] int page = 1, [Range(1, 200)] int pageSize = 50) =>
        TypedResults.Ok(await invoices.OpenAsync(asOf ?? clock.GetUtcNow(), overdue, customerId, page, pageSize, cancellationToken));

    private static async Task<Results<Ok<CreditView>, ProblemHttpResult>> CreditAsync(long id, CreditAccountStore accounts, IGrainFactory grains, CancellationToken cancellationToken) =>
        await accounts.TermsAsync(id, cancellationToken) is { } account ? TypedResults.Ok(await ViewAsync(account, grains)) : Problems.NotFound("No such customer.");

    private static async Task<CreditView> ViewAsync(CreditAccountTerms account, IGrainFactory grains)
    {
        var credit = await grains.GetGrain<ICreditAccountGrain>(account.UserId).GetAsync();
        return new CreditView(account.CustomerId, CreditTerms.CheckApproved(account) is null, credit.PaymentTerms, CreditTerms.Days(credit.PaymentTerms),
            credit.CreditLimit, credit.Exposure, credit.Available, credit.OpenInvoices);
    }
}

/// <param name="Approved">Whether the account may buy on invoice now (an active company with terms and a limit); an overdue invoice still refuses a new order.</param>
/// <param name="Exposure">What the open invoices add up to: the account's current balance.</param>
public sealed record CreditView(
    long CustomerId, bool Approved, string PaymentTerms, int? TermDays, decimal CreditLimit, decimal Exposure, decimal Available,
    IReadOnlyList<OpenInvoice> OpenInvoices);

/// <summary>PUT /api/admin/customers/{id}/credit-terms.</summary>
public sealed record CreditTermsInput(
    [Required, Range(0, 100_000_000, ErrorMessage = "From {1} to {2}."), Cents] decimal? CreditLimit,
    [Required, PaymentTermsName] string? PaymentTerms);

/// <summary>An amount in whole cents (zero allowed).</summary>
public sealed class CentsAttribute : RuleAttribute<decimal>
{
    protected override string? Check(decimal value) => decimal.Round(value, 2) == value ? null : "At most two decimals.";
}

public sealed class PaymentTermsNameAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => CreditTerms.IsValid(value) ? null : "Must be " + CreditTerms.Message;
}
