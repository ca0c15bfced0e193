using MestresCafe.Api.Projections;
using MestresCafe.Api.Security;
using MestresCafe.Data.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Observability;

/// <summary>
/// Back office: the servers' warnings and errors (system_logs) and their health snapshots
/// (system_health). Reading both needs the permission that reads the audit trail and system logs.
/// </summary>
public static class SystemAdminApi
{
    public const string ReadPermission = DeadLetterAdminApi.ReadPermission;

    /// <summary>A server that wrote nothing for this long is left out of the current view.</summary>
    private static readonly TimeSpan CurrentWindow = TimeSpan.FromMinutes(10);

    public static void MapSystemAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Back office: system").RequirePermission(ReadPermission);
        admin.MapGet("/system-logs", SearchLogsAsync)
            .WithName("AdminSearchSystemLogs")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Warnings and errors of every server, newest first: from a level up (default warning), by text, category, trace id and time range (default the last 24 hours), paged.");
        admin.MapGet("/system-health", CurrentHealthAsync)
            .WithName("AdminSystemHealth")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("The latest snapshot of each service (postgres, redis, smtp, silo, read_side) on each server heard from in the last 10 minutes.");
        admin.MapGet("/system-health/{service}", HealthHistoryAsync)
            .WithName("AdminSystemHealthHistory")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("One service's snapshots, newest first, over [from, to) (default the last hour), optionally of one server; at most 500.");
    }

    private static async Task<Ok<SystemLogPage>> SearchLogsAsync([AsParameters] SystemLogRequest request, SystemLogStore store, TimeProvider clock, HttpContext http) =>
        TypedResults.Ok(await store.SearchAsync(request.ToSearch(clock.GetUtcNow()), http.RequestAborted));

    private static async Task<Ok<SystemHealthView>> CurrentHealthAsync(SystemHealthStore store, TimeProvider clock, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var latest = await store.LatestAsync(now - CurrentWindow, http.RequestAborted);
        var overall = latest.Any(r => r.Status == "unhealthy") ? "unhealthy" : latest.Any(r => r.Status == "degraded") ? "degraded" : latest.Count == 0 ? "unknown" : "healthy";
        return TypedResults.Ok(new SystemHealthView(overall, now, latest));
    }

    private static async Task<Ok<IReadOnlyList<HealthSnapshotRow>>> HealthHistoryAsync(
        string service, SystemHealthStore store, TimeProvider clock, HttpContext http, string? server = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100)
    {
        var end = to ?? clock.GetUtcNow();
        return TypedResults.Ok(await store.HistoryAsync(service, server, from ?? end.AddHours(-1), end, Math.Clamp(limit, 1, 500), http.RequestAborted));
    }
}

public sealed record SystemHealthView(string Status, DateTimeOffset At, IReadOnlyList<HealthSnapshotRow> Services);
