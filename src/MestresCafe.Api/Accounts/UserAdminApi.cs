using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Security;
using MestresCafe.Data.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Accounts;

/// <summary>/api/admin: users, roles and their assignments (permissions users:read and users:write); role definitions in <see cref="RoleAdminApi"/>.</summary>
public static class UserAdminApi
{
    public const string ReadPermission = "users:read";
    public const string WritePermission = "users:write";
    private const int MaxPageSize = 100;
    private const int MaxSearchLength = 100;

    public static RouteGroupBuilder MapUserAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Users and roles").RequireAuthorization().WithRequestSizeLimit(4 * 1024);

        admin.MapGet("/roles", ListRolesAsync)
            .RequirePermission(ReadPermission)
            .WithName("ListRoles")
            .WithSummary("Every role with the permissions it grants.");
        admin.MapGet("/users", ListUsersAsync)
            .RequirePermission(ReadPermission)
            .WithName("ListUsers")
            .WithSummary("Users, filtered by a search on e-mail or name and by role, a page at a time.");
        admin.MapGet("/users/{id:long}", GetUserAsync)
            .RequirePermission(ReadPermission)
            .WithName("GetUser")
            .WithSummary("One user with their role assignments (including expired ones) and active session count.");
        admin.MapPut("/users/{id:long}/roles/{role}", AssignRoleAsync)
            .RequirePermission(WritePermission)
            .WithName("AssignRole")
            .WithSummary("Grants a role to a user, optionally until a given time; granting it again changes the expiry (409 when that expiry would leave no permanent administrator).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/users/{id:long}/roles/{role}", RevokeRoleAsync)
            .RequirePermission(WritePermission)
            .WithName("RevokeRole")
            .WithSummary("Takes a role away from a user; 409 when it would leave no administrator.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/users/{id:long}/sessions/revoke", RevokeSessionsAsync)
            .RequirePermission(WritePermission)
            .WithName("RevokeUserSessions")
            .WithSummary("Ends every session of a user on every server.");
        return admin.MapRoleAdminApi();
    }

    private static async Task<Ok<IReadOnlyList<RoleView>>> ListRolesAsync(UserAdminService admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.ListRolesAsync(cancellationToken));

    private static async Task<Results<Ok<UserPage>, ValidationProblem>> ListUsersAsync(
        UserAdminService admin, CancellationToken cancellationToken,
        [StringLength(MaxSearchLength, ErrorMessage = "At most {1} characters.")] string? search = null,
        string? role = null,
        [Range(1, 100_000, ErrorMessage = "Pages start at 1.")] int page = 1,
        [Range(1, MaxPageSize, ErrorMessage = "Between 1 and {2}.")] int pageSize = 20) =>
        TypedResults.Ok(await admin.ListUsersAsync(search, role, page, pageSize, cancellationToken));

    private static async Task<Results<Ok<UserDetail>, NotFound>> GetUserAsync(long id, UserAdminService admin, CancellationToken cancellationToken) =>
        await admin.GetUserAsync(id, cancellationToken) is { } user ? TypedResults.Ok(user) : TypedResults.NotFound();

    private static async Task<Results<Ok<RoleAssignment>, ValidationProblem, ProblemHttpResult>> AssignRoleAsync(
        long id, string role, RoleAssignmentRequest request, UserAdminService admin, HttpContext http, CancellationToken cancellationToken)
    {
        var change = await admin.AssignRoleAsync(id, role, request.ExpiresAt, http, cancellationToken);
        return change.Outcome switch
        {
            RoleChangeOutcome.Changed => TypedResults.Ok(UserAdminService.ToAssignment(change.Assigned!)),
            RoleChangeOutcome.NotFound => Problems.NotFound("No such user or role."),
            _ => RoleAdminApi.LastAdministrator(),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeRoleAsync(
        long id, string role, UserAdminService admin, HttpContext http, CancellationToken cancellationToken) =>
        await admin.RevokeRoleAsync(id, role, http, cancellationToken) switch
        {
            RoleChangeOutcome.Changed => TypedResults.NoContent(),
            RoleChangeOutcome.NotFound => Problems.NotFound("The user does not hold this role."),
            _ => RoleAdminApi.LastAdministrator(),
        };

    private static async Task<Results<Ok<SessionsRevoked>, NotFound>> RevokeSessionsAsync(
        long id, UserAdminService admin, HttpContext http, CancellationToken cancellationToken) =>
        await admin.RevokeSessionsAsync(id, http, cancellationToken) is { } revoked ? TypedResults.Ok(revoked) : TypedResults.NotFound();
}
