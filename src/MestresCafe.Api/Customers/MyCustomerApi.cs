using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Customers;
using MestresCafe.Data.Customers;
using MestresCafe.Data.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Customers;

/// <summary>
/// /api/me/customer and /api/me/addresses: the signed-in buyer's customer record (with the birth
/// date the birthday automations greet on) and address book.
/// The customer is always the caller's (created on first use when the account has none); an
/// address id of another customer is a 404, like one that does not exist. Every write is audited.
/// </summary>
public static class MyCustomerApi
{
    private const string Tag = "Customers";
    private const string AddressAction = "crm.customer_address";

    public static RouteGroupBuilder MapMyCustomerApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags(Tag).RequireAuthorization()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        me.MapGet("/customer", GetAsync).WithName("GetMyCustomer")
            .WithSummary("The signed-in buyer's customer record: number, person or company, CPF/CNPJ, company name and state registration.");
        me.MapPut("/customer", UpdateAsync).WithName("UpdateMyCustomer")
            .WithSummary("Replaces the buyer's profile: customerType individual (optional CPF) or business (company name and CNPJ required, state registration or ISENTO); check digits verified, a tax id in use by another customer is a 409.")
            .WithJsonExamples(CrmExamples.CustomerProfile);
        me.MapPut("/customer/birth-date", SetBirthDateAsync).WithName("SetMyBirthDate")
            .WithSummary($"Sets (yyyy-MM-dd) or clears (null) the buyer's birth date, for birthday greetings: a real date making them {BirthDateRules.MinimumAge} to {BirthDateRules.MaximumAge} years old by the store's calendar (São Paulo), 422 otherwise.");
        me.MapGet("/addresses", ListAddressesAsync).WithName("ListMyAddresses")
            .WithSummary("The buyer's address book, with the default billing and shipping address marked.");
        me.MapPost("/addresses", CreateAddressAsync).WithName("CreateMyAddress")
            .WithSummary("Adds an address (at most 20); the first is the default of both kinds, isDefaultBilling/isDefaultShipping move a default here.")
            .WithJsonExamples(CrmExamples.Address);
        me.MapPut("/addresses/{id:long}", UpdateAddressAsync).WithName("UpdateMyAddress")
            .WithSummary("Replaces an address; a default is moved by naming another address default, not by unsetting it (422).");
        me.MapDelete("/addresses/{id:long}", DeleteAddressAsync).WithName("DeleteMyAddress")
            .WithSummary("Removes an address; a default it held passes to the newest address left.");
        return me;
    }

    private static async Task<Results<Ok<MyCustomerView>, ProblemHttpResult>> GetAsync(HttpContext http, CustomerStore customers, CancellationToken cancellationToken)
    {
        var id = await customers.EnsureForUserAsync(http.User.GetUserId(), cancellationToken);
        return await customers.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(row.As<MyCustomerView>()) : Problems.NotFound("No customer record.");
    }

    private static async Task<Results<Ok<MyCustomerView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        CustomerProfileInput body, HttpContext http, AuditedWriter writer, CustomerStore customers)
    {
        var id = await customers.EnsureForUserAsync(http.User.GetUserId(), http.RequestAborted);
        return AdminResults.Ok<MyCustomerView>(await writer.RunAsync(http, CustomersAdminApi.Action + ".update_own", "customers", async (scope, ct) =>
            WriteOutcome.Done(await customers.UpdateAsync(scope, id, body.ToWrite(), null, ct))));
    }

    private static async Task<Results<Ok<MyCustomerView>, ValidationProblem, ProblemHttpResult>> SetBirthDateAsync(
        BirthDateInput body, HttpContext http, AuditedWriter writer, CustomerStore customers, TimeProvider clock)
    {
        DateOnly? birthDate = null;
        if (body.BirthDate is { } text)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), StoreZone).DateTime);
            birthDate = BirthDateRules.Parse(text);
            if ((birthDate is { } date ? BirthDateRules.Check(date, today) : "A real date as yyyy-MM-dd.") is { } refusal)
            {
                return Problems.Unprocessable("birthDate", refusal);
            }
        }

        var id = await customers.EnsureForUserAsync(http.User.GetUserId(), http.RequestAborted);
        return AdminResults.Ok<MyCustomerView>(await writer.RunAsync(http, CustomersAdminApi.Action + ".birth_date", "customers", async (scope, ct) =>
            WriteOutcome.Done(await customers.SetBirthDateAsync(scope, id, birthDate, ct))));
    }

    private static readonly TimeZoneInfo StoreZone = TimeZoneInfo.FindSystemTimeZoneById(ReportRange.DefaultTimeZone);

    private static async Task<Ok<IReadOnlyList<AddressView>>> ListAddressesAsync(
        HttpContext http, CustomerStore customers, CustomerAddressStore addresses, CancellationToken cancellationToken)
    {
        var id = await customers.EnsureForUserAsync(http.User.GetUserId(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AddressView>>((await addresses.ListAsync(id, cancellationToken)).Select(row => row.As<AddressView>()).ToList());
    }

    private static async Task<Results<Created<AddressView>, ValidationProblem, ProblemHttpResult>> CreateAddressAsync(
        AddressBookInput body, HttpContext http, AuditedWriter writer, CustomerStore customers, CustomerAddressStore addresses)
    {
        var customerId = await customers.EnsureForUserAsync(http.User.GetUserId(), http.RequestAborted);
        return AdminResults.Created<AddressView>(await writer.RunAsync(http, AddressAction + ".create", "customer_addresses", async (scope, ct) =>
            Outcome(await addresses.CreateAsync(scope, customerId, body.ToFields(), body.IsDefaultBilling, body.IsDefaultShipping, ct))), "/api/me/addresses/");
    }

    private static async Task<Results<Ok<AddressView>, ValidationProblem, ProblemHttpResult>> UpdateAddressAsync(
        long id, AddressBookInput body, HttpContext http, AuditedWriter writer, CustomerStore customers, CustomerAddressStore addresses)
    {
        var customerId = await customers.EnsureForUserAsync(http.User.GetUserId(), http.RequestAborted);
        return AdminResults.Ok<AddressView>(await writer.RunAsync(http, AddressAction + ".update", "customer_addresses", async (scope, ct) =>
            Outcome(await addresses.UpdateAsync(scope, customerId, id, body.ToFields(), body.IsDefaultBilling, body.IsDefaultShipping, ct))));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAddressAsync(
        long id, HttpContext http, AuditedWriter writer, CustomerStore customers, CustomerAddressStore addresses)
    {
        var customerId = await customers.EnsureForUserAsync(http.User.GetUserId(), http.RequestAborted);
        return AdminResults.NoContent(await writer.RunAsync(http, AddressAction + ".delete", "customer_addresses", async (scope, ct) =>
            WriteOutcome.Done(await addresses.DeleteAsync(scope, customerId, id, ct))));
    }

    /// <summary>No such address of this customer is a 404; a refusal of the book's rules a 422 naming the field.</summary>
    private static WriteOutcome Outcome(AddressBookWrite? write) => write switch
    {
        null => WriteOutcome.Fail(Problems.NotFound("No such address.")),
        { Refusal: { } refusal } => WriteOutcome.Fail(Problems.Unprocessable(write.Field!, refusal)),
        _ => WriteOutcome.Done(write.Change),
    };
}
