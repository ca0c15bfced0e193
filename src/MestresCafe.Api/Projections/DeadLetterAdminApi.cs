using MestresCafe.Api.Security;
using MestresCafe.Data.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Projections;

/// <summary>
/// Back office: outbox events the read side could not apply (projection_dead_letters). Listing needs
/// the permission that reads the audit trail and system logs; resolving, the one that changes system
/// settings: both are administrators' in the seed. A resolution is audited.
/// </summary>
public static class DeadLetterAdminApi
{
    public const string ReadPermission = "audit:read";
    public const string ResolvePermission = "settings:write";

    public static void MapDeadLetterAdminApi(this RouteGroupBuilder api)
    {
        var letters = api.MapGroup("/admin/projections/dead-letters").WithTags("Back office: system");
        letters.MapGet("/", ListAsync)
            .RequirePermission(ReadPermission).WithName("AdminListProjectionDeadLetters")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Events the read side refused after its retries, newest first; unresolved only unless includeResolved=true.");
        letters.MapPost("/{id:long}/resolve", ResolveAsync)
            .RequirePermission(ResolvePermission).WithName("AdminResolveProjectionDeadLetter")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Marks a dead letter handled (the read side was corrected by hand); resolving again keeps the first resolution.");
    }

    private static async Task<Ok<DeadLetterPage>> ListAsync(DeadLetterStore store, HttpContext http, bool includeResolved = false, int limit = 100) =>
        TypedResults.Ok(await store.ListAsync(includeResolved, Math.Clamp(limit, 1, 500), http.RequestAborted));

    private static async Task<Results<Ok<DeadLetterRow>, ProblemHttpResult>> ResolveAsync(long id, DeadLetterStore store, HttpContext http)
    {
        // The store writes the audit row in the resolution's transaction.
        var resolved = await store.ResolveAsync(id, AuditActors.From(http), http.RequestAborted);
        return resolved is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No dead letter {id}.")
            : TypedResults.Ok(resolved);
    }
}
