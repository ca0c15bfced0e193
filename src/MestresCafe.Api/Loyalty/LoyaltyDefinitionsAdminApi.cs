using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Loyalty;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Loyalty;

/// <summary>
/// /api/admin/loyalty programs, rewards and achievements: create, change and deactivate, each write
/// with its audit row (old and new values) in one transaction, through the same
/// <see cref="AdminCrud"/> as the catalog back office. The accounts read these tables through a
/// short cache, so running accounts follow within seconds.
/// </summary>
public static class LoyaltyDefinitionsAdminApi
{
    private const string Base = "/api/admin/loyalty";

    private static readonly AdminEntity<ProgramInput, AdminLoyaltyProgram, LoyaltyDefinitionStore> Programs = new(
        "LoyaltyProgram", "loyalty_programs", "loyalty.program", "/programs/", Base + "/programs/", ToColumns, Removal.DeactivateShowingRow,
        "Create a program; its rules are checked (400 on unknown or malformed rules). One program is active at a time.",
        "Change the given fields of a program; running accounts apply new rules within seconds.",
        "Deactivate a program: no account earns or redeems until a program is active.")
    {
        After = OnlyOneActiveProgramAsync,
    };

    private static readonly AdminEntity<RewardInput, AdminReward, LoyaltyDefinitionStore> Rewards = new(
        "Reward", "rewards", "loyalty.reward", "/rewards/", Base + "/rewards/", ToColumns, Removal.DeactivateShowingRow,
        "Create a reward; its conditions are checked.",
        "Change the given fields of a reward.",
        "Deactivate a reward (issued coupons stay valid).");

    private static readonly AdminEntity<AchievementInput, AdminAchievement, LoyaltyDefinitionStore> Achievements = new(
        "Achievement", "achievements", "loyalty.achievement", "/achievements/", Base + "/achievements/", ToColumns, Removal.DeactivateShowingRow,
        "Create an achievement; its criteria are checked (metric, gte or gt, event, attribute).",
        "Change the given fields of an achievement.",
        "Deactivate an achievement (no one earns it any more; earned ones can still be claimed).");

    public static RouteGroupBuilder MapLoyaltyDefinitionsAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/loyalty").WithTags("Loyalty admin").RequirePermission(LoyaltyAdminApi.WritePermission);
        admin.MapAdminCrud<ProgramInput, AdminLoyaltyProgram, LoyaltyDefinitionStore, AuditedWriter>(Programs);
        admin.MapAdminCrud<RewardInput, AdminReward, LoyaltyDefinitionStore, AuditedWriter>(Rewards);
        admin.MapAdminCrud<AchievementInput, AdminAchievement, LoyaltyDefinitionStore, AuditedWriter>(Achievements);

        api.MapGroup("/admin/loyalty").WithTags("Loyalty admin").RequirePermission(LoyaltyAdminApi.ReadPermission)
            .MapGet("/achievements", AchievementsAsync).WithName("ListAllAchievements").WithSummary("Every achievement with its criteria, active or not.");
        return admin;
    }

    // Every definition maps the same on create and update (no field has a default drawn from another).
    private static Catalog.Admin.ColumnBuilder ToColumns<TInput>(TInput body, bool creating) where TInput : IDefinitionInput => body.ToColumns();

    /// <summary>The accounts follow the one active program: a second one would make "which rules?" a guess.</summary>
    private static async Task<IResult?> OnlyOneActiveProgramAsync(AdminStep<ProgramInput, LoyaltyDefinitionStore> step) =>
        await step.Store.ActiveProgramCountAsync(step.Scope, step.CancellationToken) > 1
            ? Problems.Conflict("Another program is active.", "Deactivate the active loyalty program before activating another.")
            : null;

    private static async Task<Ok<IReadOnlyList<AdminAchievement>>> AchievementsAsync(LoyaltyQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<AdminAchievement>>((await queries.AchievementRowsAsync(cancellationToken)).Select(row => row.As<AdminAchievement>()).ToList());
}
