using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Mail;
using MestresCafe.Api.Security;
using MestresCafe.Data.Marketing;
using MestresCafe.Marketing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Marketing;

/// <summary>An automation's definition as the back office sends it; the parts are checked by <see cref="AutomationDefinitionParser.Parse"/>.</summary>
public sealed record AutomationInput(
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(200)] string? Name,
    [Required(ErrorMessage = "Required.")] string? TriggerType,
    [Required(ErrorMessage = "Required.")] JsonElement? TriggerConditions,
    [Required(ErrorMessage = "Required.")] JsonElement? ActionSequence);

/// <summary>
/// /api/admin/automations: the marketing automations with their funnels (triggered, sent,
/// converted), editing, pause and resume, and each one's latest executions step by step
/// (marketing:write, the permission of templates and campaigns).
/// </summary>
public static class AutomationsAdminApi
{
    public const string Permission = MailTemplatesAdminApi.Permission;
    private const int MaxExecutions = 200;

    public static RouteGroupBuilder MapAutomationsAdminApi(this RouteGroupBuilder api)
    {
        var automations = api.MapGroup("/admin/automations").WithTags("Marketing").RequireAuthorization()
            .RequirePermission(Permission).WithRequestSizeLimit(32 * 1024);
        automations.MapGet("/", ListAsync)
            .WithName("ListAutomations")
            .WithSummary("Every automation with its trigger, steps and funnel: triggered, sent, converted (a paid order within the conversion days) and its revenue, open and stopped.");
        automations.MapGet("/{id:long}", GetAsync)
            .WithName("GetAutomation").WithSummary("One automation with its funnel.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        automations.MapPut("/{id:long}", UpdateAsync)
            .WithName("UpdateAutomation")
            .WithSummary($"Replaces an automation's name, trigger (conditions in snake_case) and action sequence ({string.Join(", ", AutomationActions.All)}); executions under way keep the sequence they started with. 422 names each wrong part.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        automations.MapPost("/{id:long}/pause", (long id, AutomationStore store, TimeProvider time, HttpContext http, CancellationToken ct) =>
                SetActiveAsync(id, false, store, time, http, ct))
            .WithName("PauseAutomation").WithSummary("Pauses an automation: no new executions, and those under way wait where they are.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        automations.MapPost("/{id:long}/resume", (long id, AutomationStore store, TimeProvider time, HttpContext http, CancellationToken ct) =>
                SetActiveAsync(id, true, store, time, http, ct))
            .WithName("ResumeAutomation").WithSummary("Resumes an automation: executions go on, and triggers count from now on (what happened while paused does not start one).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        automations.MapGet("/{id:long}/executions", ExecutionsAsync)
            .WithName("ListAutomationExecutions").WithSummary("The automation's latest executions, newest first, with every step taken and why one stopped.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return automations;
    }

    private static async Task<Ok<IReadOnlyList<AutomationRow>>> ListAsync(AutomationStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken));

    private static async Task<Results<Ok<AutomationRow>, ProblemHttpResult>> GetAsync(long id, AutomationStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } automation ? TypedResults.Ok(automation) : NoSuchAutomation();

    private static async Task<Results<Ok<AutomationRow>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, AutomationInput body, AutomationStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var (definition, errors) = AutomationDefinitionParser.Parse(body.TriggerType, body.TriggerConditions!.Value, body.ActionSequence!.Value);
        if (definition is null)
        {
            return Unprocessable(errors);
        }

        var save = await store.UpdateAsync(id, body.Name!.Trim(), body.TriggerType!, body.TriggerConditions.Value, body.ActionSequence.Value,
            definition, AuditActors.From(http), cancellationToken);
        return save.Status switch
        {
            AutomationSaveStatus.Saved => TypedResults.Ok(save.Automation!),
            AutomationSaveStatus.NotFound => NoSuchAutomation(),
            AutomationSaveStatus.NameTaken => Problems.Conflict("Name taken.", "Another automation has this name."),
            _ => Unprocessable(save.Errors!),
        };
    }

    private static async Task<Results<Ok<AutomationRow>, ProblemHttpResult>> SetActiveAsync(
        long id, bool active, AutomationStore store, TimeProvider time, HttpContext http, CancellationToken cancellationToken) =>
        await store.SetActiveAsync(id, active, time.GetUtcNow(), AuditActors.From(http), cancellationToken) is { } automation
            ? TypedResults.Ok(automation)
            : NoSuchAutomation();

    private static async Task<Results<Ok<IReadOnlyList<AutomationExecutionRow>>, ProblemHttpResult>> ExecutionsAsync(
        long id, AutomationStore store, CancellationToken cancellationToken,
        [Range(1, MaxExecutions, ErrorMessage = "Between 1 and {2}.")] int limit = 50)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return NoSuchAutomation();
        }

        return TypedResults.Ok(await store.ExecutionsAsync(id, limit, cancellationToken));
    }

    private static ProblemHttpResult NoSuchAutomation() => Problems.NotFound("No such automation.");

    private static ProblemHttpResult Unprocessable(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The automation cannot run as written.",
        });
}
