using MestresCafe.Api.Audit;
using MestresCafe.Api.Security;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Loyalty;
using MestresCafe.Loyalty;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Loyalty;

/// <summary>/api/admin/loyalty: programs, rewards, any customer's account and manual point adjustments (audited).</summary>
public static class LoyaltyAdminApi
{
    public const string ReadPermission = "loyalty:read";
    public const string WritePermission = "loyalty:write";

    public static RouteGroupBuilder MapLoyaltyAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/loyalty").WithTags("Loyalty admin").RequireAuthorization();
        admin.MapGet("/programs", ProgramsAsync).RequirePermission(ReadPermission)
            .WithName("ListLoyaltyPrograms").WithSummary("Loyalty programs with their rules.");
        admin.MapGet("/rewards", RewardsAsync).RequirePermission(ReadPermission)
            .WithName("ListAllRewards").WithSummary("Every reward, active or not.");
        admin.MapGet("/accounts/{userId:long}", AccountAsync).RequirePermission(ReadPermission)
            .WithName("GetLoyaltyAccount").WithSummary("A customer's loyalty account.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/adjustments", AdjustAsync).RequirePermission(WritePermission)
            .WithName("AdjustLoyaltyPoints").WithSummary("Adds or removes points with a reason; written to the audit trail. Never on the caller's own account (403).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return admin;
    }

    private static async Task<Ok<IReadOnlyList<ProgramView>>> ProgramsAsync(LoyaltyQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ProgramsAsync(cancellationToken));

    private static async Task<Ok<IReadOnlyList<RewardView>>> RewardsAsync(LoyaltyQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.RewardsAsync(activeOnly: false, cancellationToken));

    private static async Task<Results<Ok<LoyaltyAccountSnapshot>, ProblemHttpResult>> AccountAsync(long userId, LoyaltyQueries queries, IGrainFactory grains, CancellationToken cancellationToken) =>
        await queries.UserExistsAsync(userId, cancellationToken)
            ? TypedResults.Ok(await grains.GetGrain<ILoyaltyAccountGrain>(userId).GetAsync())
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such user.");

    private static async Task<Results<Ok<LoyaltyAccountSnapshot>, ValidationProblem, ProblemHttpResult>> AdjustAsync(
        AdjustmentRequest request, HttpContext http, AuditJournal audit, LoyaltyQueries queries, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (request.UserId == http.User.GetUserId())
        {
            // Separation of duties: staff earn and spend points like any customer, so nobody moves
            // their own balance. The refused attempt is recorded, as a write would have been.
            await AuditAsync(audit, http, "loyalty.adjust_own_refused", null,
                new { userId = request.UserId, points = request.Points, reason = request.Reason }, cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Staff cannot adjust their own loyalty points; another manager must do it.");
        }

        if (!await queries.UserExistsAsync(request.UserId, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such user.");
        }

        var account = grains.GetGrain<ILoyaltyAccountGrain>(request.UserId);
        var before = await account.GetAsync();
        var result = await account.AdjustAsync(request.Points, request.Reason!.Trim(), http.User.GetUserId());
        if (!result.Succeeded)
        {
            return LoyaltyResults.Problem(result);
        }

        await AuditAsync(audit, http, "loyalty.adjust",
            new { userId = request.UserId, balance = before.Balance },
            new { userId = request.UserId, balance = result.Account!.Balance, points = request.Points, reason = request.Reason }, cancellationToken);
        return TypedResults.Ok(result.Account);
    }

    private static Task AuditAsync(AuditJournal audit, HttpContext http, string action, object? oldValues, object newValues, CancellationToken cancellationToken) =>
        audit.WriteAsync(http, action, "customer_loyalty", null, oldValues, newValues, cancellationToken);
}
