using MestresCafe.Api.Catalog;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using static MestresCafe.Api.Catalog.WriteOutcome;

namespace MestresCafe.Api.Loyalty;

/// <summary>
/// /api/admin/loyalty programs, rewards and achievements: create, change and deactivate, each write
/// with its audit row (old and new values) in one transaction, like the catalog back office. The
/// accounts read these tables through a short cache, so running accounts follow within seconds.
/// </summary>
public static class LoyaltyDefinitionsAdminApi
{
    private const string Base = "/api/admin/loyalty";

    private static readonly Definition Programs = new("loyalty_programs", "loyalty.program", "/programs/", OnlyOneActiveProgramAsync);
    private static readonly Definition Rewards = new("rewards", "loyalty.reward", "/rewards/", null);
    private static readonly Definition Achievements = new("achievements", "loyalty.achievement", "/achievements/", null);

    public static RouteGroupBuilder MapLoyaltyDefinitionsAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/loyalty").WithTags("Loyalty admin").RequirePermission(LoyaltyAdminApi.WritePermission);
        MapDefinition<ProgramInput, AdminLoyaltyProgram>(admin, Programs, "LoyaltyProgram",
            "Create a program; its rules are checked (400 on unknown or malformed rules). One program is active at a time.",
            "Change the given fields of a program; running accounts apply new rules within seconds.",
            "Deactivate a program: no account earns or redeems until a program is active.");
        MapDefinition<RewardInput, AdminReward>(admin, Rewards, "Reward",
            "Create a reward; its conditions are checked.",
            "Change the given fields of a reward.",
            "Deactivate a reward (issued coupons stay valid).");
        MapDefinition<AchievementInput, AdminAchievement>(admin, Achievements, "Achievement",
            "Create an achievement; its criteria are checked (metric, gte or gt, event, attribute).",
            "Change the given fields of an achievement.",
            "Deactivate an achievement (no one earns it any more; earned ones can still be claimed).");

        api.MapGroup("/admin/loyalty").WithTags("Loyalty admin").RequirePermission(LoyaltyAdminApi.ReadPermission)
            .MapGet("/achievements", AchievementsAsync).WithName("ListAllAchievements").WithSummary("Every achievement with its criteria, active or not.");
        return admin;
    }

    private static void MapDefinition<TInput, TView>(RouteGroupBuilder admin, Definition definition, string name, string create, string update, string deactivate)
        where TInput : IDefinitionInput
    {
        admin.MapPost(definition.Location, (TInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
                CreateAsync<TView>(definition, body.ToColumns(creating: true), http, writer, store))
            .WithName("Create" + name).WithSummary(create);
        admin.MapPatch(definition.Location + "{id:long}", (long id, TInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
                UpdateAsync<TView>(definition, id, body.ToColumns(creating: false), http, writer, store))
            .WithName("Update" + name).WithSummary(update);
        admin.MapDelete(definition.Location + "{id:long}", (long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
                DeactivateAsync<TView>(definition, id, http, writer, store))
            .WithName("Deactivate" + name).WithSummary(deactivate);
    }

    private static async Task<Results<Created<T>, ValidationProblem, ProblemHttpResult>> CreateAsync<T>(
        Definition definition, ColumnBuilder columns, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        return AdminResults.Created<T>(await writer.RunAsync(http, definition.Action + ".create", definition.Table, async (connection, transaction, ct) =>
            await CheckedAsync(definition, connection, transaction, await store.InsertAsync(connection, transaction, definition.Table, columns.Columns, ct), ct),
            invalidatesCatalog: false), Base + definition.Location);
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> UpdateAsync<T>(
        Definition definition, long id, ColumnBuilder columns, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        return AdminResults.Ok<T>(await writer.RunAsync(http, definition.Action + ".update", definition.Table, async (connection, transaction, ct) =>
            await CheckedAsync(definition, connection, transaction, await store.UpdateAsync(connection, transaction, definition.Table, id, columns.Columns, null, ct), ct),
            invalidatesCatalog: false));
    }

    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> DeactivateAsync<T>(
        Definition definition, long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.Ok<T>(await writer.RunAsync(http, definition.Action + ".deactivate", definition.Table, async (connection, transaction, ct) =>
            Done(await store.UpdateAsync(connection, transaction, definition.Table, id, [new ColumnValue("is_active", false, NpgsqlTypes.NpgsqlDbType.Boolean)], null, ct)),
            invalidatesCatalog: false));

    /// <summary>Runs the definition's cross-row rule inside the write's transaction; a refusal commits nothing.</summary>
    private static async Task<WriteOutcome> CheckedAsync(Definition definition, NpgsqlConnection connection, NpgsqlTransaction transaction, RowChange? change, CancellationToken ct) =>
        change is not null && definition.CheckAsync is { } check && await check(connection, transaction, ct) is { } problem ? Fail(problem) : Done(change);

    /// <summary>The accounts follow the one active program: a second one would make "which rules?" a guess.</summary>
    private static async Task<IResult?> OnlyOneActiveProgramAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select count(*) from loyalty_programs where is_active", connection, transaction);
        return (long)(await command.ExecuteScalarAsync(ct))! > 1
            ? Problems.Conflict("Another program is active.", "Deactivate the active loyalty program before activating another.")
            : null;
    }

    private static async Task<Ok<IReadOnlyList<AdminAchievement>>> AchievementsAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("select to_jsonb(a)::text from achievements a order by a.id");
        var achievements = new List<AdminAchievement>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var row = System.Text.Json.JsonDocument.Parse(reader.GetString(0));
            achievements.Add(row.RootElement.As<AdminAchievement>());
        }

        return TypedResults.Ok<IReadOnlyList<AdminAchievement>>(achievements);
    }

    private sealed record Definition(
        string Table, string Action, string Location, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<IResult?>>? CheckAsync);
}
