using MestresCafe.Api.Security;
using MestresCafe.Data.Loyalty;
using MestresCafe.Loyalty;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Loyalty;

/// <summary>
/// /api/loyalty: the signed-in customer's own account. The account is always the caller's (the
/// user id comes from the session, never from the URL), so no customer can reach another's.
/// </summary>
public static class LoyaltyApi
{
    public static RouteGroupBuilder MapLoyaltyApi(this RouteGroupBuilder api)
    {
        var loyalty = api.MapGroup("/loyalty").WithTags("Loyalty").RequireAuthorization();
        loyalty.MapGet("/me", MeAsync).WithName("GetMyLoyalty").WithSummary("My balance, tier, progress to the next tier, history and redemptions.");
        loyalty.MapGet("/rewards", RewardsAsync).WithName("ListRewards").WithSummary("Active rewards and the points each needs.");
        loyalty.MapPost("/rewards/{id:long}/redeem", RedeemAsync).WithName("RedeemReward").WithSummary("Spends points on a reward; answers the single-use coupon.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        loyalty.MapGet("/achievements", AchievementsAsync).WithName("ListMyAchievements").WithSummary("Achievements with my progress, earned and claimed dates.");
        loyalty.MapPost("/achievements/{id:long}/claim", ClaimAsync).WithName("ClaimAchievement").WithSummary("Claims an earned achievement's points, once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return loyalty;
    }

    private static async Task<Ok<LoyaltyAccountSnapshot>> MeAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Account(http, grains).GetAsync());

    private static async Task<Ok<IReadOnlyList<RewardView>>> RewardsAsync(LoyaltyQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.RewardsAsync(activeOnly: true, cancellationToken));

    private static async Task<Results<Ok<RedemptionInfo>, ProblemHttpResult>> RedeemAsync(long id, HttpContext http, IGrainFactory grains)
    {
        var result = await Account(http, grains).RedeemAsync(id);
        return result.Succeeded ? TypedResults.Ok(result.Redemption!) : LoyaltyResults.Problem(result);
    }

    private static async Task<Ok<IReadOnlyList<AchievementProgress>>> AchievementsAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await Account(http, grains).GetAsync()).Achievements);

    private static async Task<Results<Ok<LoyaltyAccountSnapshot>, ProblemHttpResult>> ClaimAsync(long id, HttpContext http, IGrainFactory grains)
    {
        var result = await Account(http, grains).ClaimAchievementAsync(id);
        return result.Succeeded ? TypedResults.Ok(result.Account!) : LoyaltyResults.Problem(result);
    }

    private static ILoyaltyAccountGrain Account(HttpContext http, IGrainFactory grains) => grains.GetGrain<ILoyaltyAccountGrain>(http.User.GetUserId());
}
