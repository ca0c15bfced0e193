using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Scheduling;
using MestresCafe.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Scheduling;

/// <summary>
/// /api/admin/scheduled-tasks (settings:write): the tasks with their state and runs; run one now,
/// pause or resume one. Each change is audited; the task's owner in the cluster does the running.
/// </summary>
public static class ScheduledTasksAdminApi
{
    public const string Permission = "settings:write";
    private const string Name = "/{name:maxlength(100)}";

    public static RouteGroupBuilder MapScheduledTasksAdminApi(this RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("/admin/scheduled-tasks").WithTags("Back office: scheduled tasks")
            .RequireAuthorization().RequirePermission(Permission);
        tasks.MapGet("/", ListAsync)
            .WithName("ListScheduledTasks")
            .WithSummary("Every scheduled task: schedule (cron, UTC), active or paused, status, last and next run, failures in a row, whether this server has its class.");
        tasks.MapGet(Name + "/runs", RunsAsync)
            .WithName("ListScheduledTaskRuns")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The task's latest runs (start, end, status, rows, error, attempt, server), newest first.");
        tasks.MapPost(Name + "/run", RunNowAsync)
            .WithName("RunScheduledTaskNow")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Runs an active task as soon as its owner sees it (after its current run, if one is going on); 202.");
        tasks.MapPost(Name + "/pause", (string name, ScheduledTaskStore store, HttpContext http, CancellationToken ct) => SetActiveAsync(name, false, store, null, http, ct))
            .WithName("PauseScheduledTask")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Pauses a task: no run starts until it is resumed (a run going on finishes).");
        tasks.MapPost(Name + "/resume", (string name, ScheduledTaskStore store, IGrainFactory grains, HttpContext http, CancellationToken ct) => SetActiveAsync(name, true, store, grains, http, ct))
            .WithName("ResumeScheduledTask")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Resumes a paused task from its next occurrence.");
        return tasks;
    }

    private static async Task<Ok<IReadOnlyList<ScheduledTaskView>>> ListAsync(ScheduledTaskStore store, IServiceProvider services, CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ScheduledTaskView>>(rows
            .Select(r => new ScheduledTaskView(r, services.GetKeyedService<IScheduledTask>(r.Name) is not null))
            .ToList());
    }

    private static async Task<Results<Ok<IReadOnlyList<ScheduledTaskRunRow>>, ProblemHttpResult>> RunsAsync(
        string name, ScheduledTaskStore store, CancellationToken cancellationToken)
    {
        if ((await store.ListAsync(cancellationToken)).All(t => t.Name != name))
        {
            return Problems.NotFound($"No scheduled task {name}.");
        }

        return TypedResults.Ok(await store.RunsAsync(name, 50, cancellationToken));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RunNowAsync(
        string name, ScheduledTaskStore store, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        var task = (await store.ListAsync(cancellationToken)).FirstOrDefault(t => t.Name == name);
        if (task is null)
        {
            return Problems.NotFound($"No scheduled task {name}.");
        }

        if (!task.IsActive)
        {
            return Problems.Conflict("The task is paused.", "Resume it first.");
        }

        await store.RequestRunAsync(name, AuditActors.From(http), cancellationToken);
        await grains.GetGrain<IScheduledTaskGrain>(name).WakeAsync();
        return TypedResults.Accepted($"/api/admin/scheduled-tasks/{name}/runs");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetActiveAsync(
        string name, bool active, ScheduledTaskStore store, IGrainFactory? grains, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await store.SetActiveAsync(name, active, AuditActors.From(http), cancellationToken))
        {
            return Problems.NotFound($"No scheduled task {name}.");
        }

        if (grains is not null)
        {
            // Started in case no silo did (a task added after the servers started); it reads its new next run.
            var owner = grains.GetGrain<IScheduledTaskGrain>(name);
            await owner.StartAsync();
            await owner.WakeAsync();
        }

        return TypedResults.NoContent();
    }
}

/// <summary>A task as the back office sees it; <see cref="Registered"/>: this server has a class for it.</summary>
public sealed record ScheduledTaskView(
    string Name, string? Description, string Schedule, bool IsActive, string Status, DateTimeOffset? LastRun, DateTimeOffset? NextRun,
    int ConsecutiveFailures, string? Output, bool Registered)
{
    public ScheduledTaskView(ScheduledTaskRow row, bool registered)
        : this(row.Name, row.Description, row.Schedule, row.IsActive, row.Status, row.LastRun, row.NextRun, row.ConsecutiveFailures, row.Output, registered)
    {
    }
}
