using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// /api/admin roles and permissions: reading them needs users:read, changing them the
/// administrator's permission (<see cref="AdministratorRule.Permission"/>).
/// </summary>
public static class RoleAdminApi
{
    public const string WritePermission = AdministratorRule.Permission;

    /// <summary>The problem a change gets when it would leave the store without an administrator.</summary>
    internal static ProblemHttpResult LastAdministrator() => Problems.Conflict(
        "The last administrator cannot be removed.",
        $"At least one active user must keep {AdministratorRule.Permission} through a role without expiry; make someone else an administrator first.");

    public static RouteGroupBuilder MapRoleAdminApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/permissions", ListPermissionsAsync)
            .RequirePermission(UserAdminApi.ReadPermission)
            .WithName("ListPermissions")
            .WithSummary("Every permission a role can grant.");
        admin.MapPost("/roles", CreateRoleAsync)
            .RequirePermission(WritePermission)
            .WithName("CreateRole")
            .WithSummary("Creates a role that grants nothing yet.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/roles/{role}/permissions/{permission}", GrantAsync)
            .RequirePermission(WritePermission)
            .WithName("GrantPermission")
            .WithSummary("Makes a role grant a permission, on every server from the next request of its holders; granting it again is no error.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/roles/{role}/permissions/{permission}", RevokeAsync)
            .RequirePermission(WritePermission)
            .WithName("RevokePermission")
            .WithSummary("Stops a role granting a permission, at once on every server; 409 when it would leave no administrator.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return admin;
    }

    private static async Task<Ok<IReadOnlyList<PermissionView>>> ListPermissionsAsync(RoleAdminService roles, CancellationToken cancellationToken) =>
        TypedResults.Ok(await roles.ListPermissionsAsync(cancellationToken));

    private static async Task<Results<Created<RoleView>, ValidationProblem, ProblemHttpResult>> CreateRoleAsync(
        CreateRoleRequest request, RoleAdminService roles, HttpContext http, CancellationToken cancellationToken) =>
        await roles.CreateRoleAsync(request, http, cancellationToken) is { } role
            ? TypedResults.Created($"/api/admin/roles/{role.Name}", role)
            : Problems.Conflict("A role with this name exists.");

    private static async Task<Results<NoContent, ProblemHttpResult>> GrantAsync(
        string role, string permission, RoleAdminService roles, HttpContext http, CancellationToken cancellationToken) =>
        ToResult(await roles.GrantAsync(role, permission, http, cancellationToken), "No such role or permission.");

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string role, string permission, RoleAdminService roles, HttpContext http, CancellationToken cancellationToken) =>
        ToResult(await roles.RevokeAsync(role, permission, http, cancellationToken), "The role does not grant this permission.");

    private static Results<NoContent, ProblemHttpResult> ToResult(RoleChangeOutcome outcome, string notFound) => outcome switch
    {
        RoleChangeOutcome.Changed => TypedResults.NoContent(),
        RoleChangeOutcome.NotFound => Problems.NotFound(notFound),
        _ => LastAdministrator(),
    };
}
