using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Customers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Customers;

/// <summary>
/// /api/admin/customers: staff find customers (number, CPF/CNPJ, e-mail, name or company), read
/// one and change its profile, notes and active flag; every change writes an audit row.
/// </summary>
public static class CustomersAdminApi
{
    public const string ReadPermission = "customers:read";
    public const string WritePermission = "customers:write";
    internal const string Action = "crm.customer";
    internal const string Tag = "Back office: customers";

    public static RouteGroupBuilder MapCustomersAdminApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/admin/customers").WithTags(Tag)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        customers.MapGet("/", ListAsync).RequirePermission(ReadPermission).WithName("ListCustomers")
            .WithSummary("Customers, newest first; search matches the customer number, CPF/CNPJ (with or without punctuation), e-mail, name or company name.");
        customers.MapGet("/{id:long}", GetAsync).RequirePermission(ReadPermission).WithName("GetCustomer")
            .WithSummary("One customer's record with the account's e-mail, name and phone.");
        customers.MapGet("/{id:long}/overview", OverviewAsync).RequirePermission(ReadPermission).WithName("GetCustomerOverview")
            .WithSummary("The customer's 360° view: profile, addresses, the last 20 orders, returns and communications, loyalty, group memberships and lifetime value (paid orders less refunds).");
        customers.MapPut("/{id:long}", UpdateAsync).RequirePermission(WritePermission).WithName("UpdateCustomer")
            .WithSummary("Replaces a customer's profile, notes and active flag (same rules as the customer's own PUT /api/me/customer).");
        return customers;
    }

    private static async Task<Ok<IReadOnlyList<AdminCustomerView>>> ListAsync(
        CustomerStore store, CancellationToken cancellationToken,
        [StringLength(100)] string? search = null, [CustomerType(Optional = true)] string? type = null, bool? active = null,
        [Range(1, 10_000)] int page = 1, [Range(1, 200)] int pageSize = 50) =>
        TypedResults.Ok<IReadOnlyList<AdminCustomerView>>((await store.SearchAsync(
                search?.Trim() is { Length: > 0 } s ? s : null, type, active, page, pageSize, cancellationToken))
            .Select(row => row.As<AdminCustomerView>()).ToList());

    private static async Task<Results<Ok<AdminCustomerView>, ProblemHttpResult>> GetAsync(long id, CustomerStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(row.As<AdminCustomerView>()) : Problems.NotFound("No such customer.");

    private static async Task<Results<Ok<CustomerOverview>, ProblemHttpResult>> OverviewAsync(long id, CustomerOverviewQuery query, CancellationToken cancellationToken) =>
        await query.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(row.As<CustomerOverview>()) : Problems.NotFound("No such customer.");

    private static async Task<Results<Ok<AdminCustomerView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, CustomerAdminInput body, HttpContext http, AuditedWriter writer, CustomerStore store) =>
        AdminResults.Ok<AdminCustomerView>(await writer.RunAsync(http, Action + ".update", "customers", async (scope, ct) =>
            WriteOutcome.Done(await store.UpdateAsync(scope, id, body.ToWrite(), body.ToStaffWrite(), ct))));
}
