using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Customers;
using MestresCafe.Data.Customers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Validation;

namespace MestresCafe.Api.Customers;

#pragma warning disable ASP0029 // ValidatableType is marked experimental in .NET 10.

/// <summary>A customer group's fields: POST requires the name; PATCH changes only the fields present.</summary>
[ValidatableType]
public sealed record CustomerGroupInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(100)] string? Name,
    [TrimmedLength(500)] string? Description,
    [Range(typeof(decimal), "0", "100", ErrorMessage = "From 0 to 100 (a percentage).")] decimal? DiscountPercentage,
    [JsonShape(JsonValueKind.Object, 4000), GroupConditionsShape] JsonElement? Conditions,
    bool? IsActive)
{
    internal ColumnBuilder ToColumns() => new ColumnBuilder()
        .Text("name", Name)
        .Text("description", Description)
        .Numeric("discount_percentage", DiscountPercentage is { } percentage ? decimal.Round(percentage, 2) : null)
        .Json("conditions", Conditions)
        .Flag("is_active", IsActive);
}

#pragma warning restore ASP0029

/// <summary>The enforced keys of a group's conditions well formed (<see cref="GroupConditions.Validate"/>); other keys are kept as notes.</summary>
public sealed class GroupConditionsShapeAttribute : RuleAttribute<JsonElement>
{
    protected override string? Check(JsonElement value) =>
        GroupConditions.Validate(value) is { } errors ? string.Join(" ", errors.Select(e => $"{e.Key[(e.Key.IndexOf('.') + 1)..]}: {e.Value[0]}")) : null;
}

/// <summary>The body of PUT /api/admin/customers/{id}/groups/{groupId}: until when (none: no end).</summary>
public sealed record MembershipInput(DateTimeOffset? ExpiresAt);

public sealed record CustomerGroupView(
    long Id, string Name, string? Description, decimal DiscountPercentage, JsonElement Conditions, bool IsActive,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Current members, in lists.</summary>
    public long? MemberCount { get; init; }
}

public sealed record MembershipView(
    long Id, long CustomerId, long GroupId, string GroupName, decimal DiscountPercentage, DateTimeOffset JoinedAt, DateTimeOffset? ExpiresAt,
    bool IsActive, bool IsCurrent);

/// <summary>
/// /api/admin/customer-groups and the memberships under /api/admin/customers/{id}/groups: groups
/// with a discount percentage and conditions; a customer joins until a date or for good. A
/// membership is what group-restricted coupons check (CouponCustomerQuery). Every write is audited.
/// </summary>
public static class CustomerGroupsAdminApi
{
    private const string Base = "/api/admin/customer-groups";
    private const string MembershipAction = "crm.customer_group_member";

    private static readonly AdminEntity<CustomerGroupInput, CustomerGroupView, CustomerGroupStore> Groups = new(
        "CustomerGroup", "customer_groups", "crm.customer_group", "/", Base + "/", (body, _) => body.ToColumns(), Removal.DeactivateShowingRow,
        "Create a customer group (name, discount percentage 0-100, conditions as a JSON object: minimumOrderAmount and paymentMethods are enforced at checkout, other keys are notes).",
        "Change the given fields of a customer group.",
        "Deactivate a group: its memberships stop counting (coupons, prices); the rows stay.");

    public static RouteGroupBuilder MapCustomerGroupsAdminApi(this RouteGroupBuilder api)
    {
        var read = api.MapGroup("/admin").WithTags(CustomersAdminApi.Tag).RequirePermission(CustomersAdminApi.ReadPermission);
        read.MapGet("/customer-groups", ListAsync).WithName("ListCustomerGroups").WithSummary("Customer groups by name, with their current member count.");
        read.MapGet("/customer-groups/{id:long}", GetAsync).WithName("GetCustomerGroup").WithSummary("One customer group.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/customer-groups/{id:long}/members", (long id, CustomerGroupStore store, CancellationToken ct) => MembershipsAsync(null, id, store, ct))
            .WithName("ListCustomerGroupMembers").WithSummary("A group's memberships, current and past.");
        read.MapGet("/customers/{id:long}/groups", (long id, CustomerGroupStore store, CancellationToken ct) => MembershipsAsync(id, null, store, ct))
            .WithName("ListCustomerMemberships").WithSummary("A customer's group memberships, current and past.");

        var write = api.MapGroup("/admin").WithTags(CustomersAdminApi.Tag).RequirePermission(CustomersAdminApi.WritePermission)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        write.MapGroup("/customer-groups").MapAdminCrud<CustomerGroupInput, CustomerGroupView, CustomerGroupStore, AuditedWriter>(Groups);
        write.MapPut("/customers/{id:long}/groups/{groupId:long}", JoinAsync).WithName("AddCustomerToGroup")
            .WithSummary("Puts the customer in an active group until expiresAt (in the future; none: no end), or renews the membership.")
            .WithJsonExamples(CrmExamples.Membership);
        write.MapDelete("/customers/{id:long}/groups/{groupId:long}", LeaveAsync).WithName("RemoveCustomerFromGroup")
            .WithSummary("Ends the customer's membership of the group (kept, inactive, for the history).");
        return write;
    }

    private static async Task<Ok<IReadOnlyList<CustomerGroupView>>> ListAsync(CustomerGroupStore store, CancellationToken cancellationToken, bool? active = null) =>
        TypedResults.Ok<IReadOnlyList<CustomerGroupView>>((await store.GroupsAsync(active, cancellationToken)).Select(row => row.As<CustomerGroupView>()).ToList());

    private static async Task<Results<Ok<CustomerGroupView>, ProblemHttpResult>> GetAsync(long id, CustomerGroupStore store, CancellationToken cancellationToken) =>
        await store.GroupAsync(id, cancellationToken) is { } row ? TypedResults.Ok(row.As<CustomerGroupView>()) : Problems.NotFound("No such customer group.");

    private static async Task<Ok<IReadOnlyList<MembershipView>>> MembershipsAsync(long? customerId, long? groupId, CustomerGroupStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<MembershipView>>((await store.MembershipsAsync(customerId, groupId, cancellationToken)).Select(row => row.As<MembershipView>()).ToList());

    private static async Task<Results<Ok<MembershipView>, ValidationProblem, ProblemHttpResult>> JoinAsync(
        long id, long groupId, MembershipInput body, HttpContext http, AuditedWriter writer, CustomerGroupStore store, RecentGroupDiscounts carts, TimeProvider clock)
    {
        if (body.ExpiresAt is { } expiresAt && expiresAt <= clock.GetUtcNow())
        {
            return Problems.Unprocessable("expiresAt", "A membership ends in the future.");
        }

        var outcome = await writer.RunAsync(http, MembershipAction + ".join", "customer_group_members", async (scope, ct) =>
            await store.JoinAsync(scope, id, groupId, body.ExpiresAt, ct) switch
            {
                null => WriteOutcome.Fail(Problems.NotFound("No such customer or group.")),
                { Refusal: { } refusal, Field: var field } => WriteOutcome.Fail(Problems.Unprocessable(field!, refusal)),
                var done => WriteOutcome.Done(done.Change),
            });
        // Carts on this server show the new price at once (others within Pricing:CartPriceMaxAge).
        carts.Forget();
        return AdminResults.Ok<MembershipView>(outcome);
    }

    private static async Task<Results<Ok<MembershipView>, ValidationProblem, ProblemHttpResult>> LeaveAsync(
        long id, long groupId, HttpContext http, AuditedWriter writer, CustomerGroupStore store, RecentGroupDiscounts carts)
    {
        var outcome = await writer.RunAsync(http, MembershipAction + ".leave", "customer_group_members", async (scope, ct) =>
            await store.LeaveAsync(scope, id, groupId, ct) is { } change
                ? WriteOutcome.Done(change)
                : WriteOutcome.Fail(Problems.NotFound("The customer is not in this group.")));
        carts.Forget();
        return AdminResults.Ok<MembershipView>(outcome);
    }
}
