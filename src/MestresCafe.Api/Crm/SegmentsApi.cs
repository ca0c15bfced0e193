using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Crm;
using MestresCafe.Data.Crm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MestresCafe.Api.Customers;

namespace MestresCafe.Api.Crm;

/// <summary>A segment as the back office writes it; the criteria are checked by <see cref="SegmentCriteria.Parse"/>.</summary>
public sealed record SegmentInput(
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(100)] string? Name,
    [TrimmedLength(500)] string? Description,
    [Required(ErrorMessage = "Required.")] JsonElement? Criteria,
    bool? IsActive);

public sealed record SegmentMemberPage(IReadOnlyList<SegmentMember> Items, int Page, int PageSize, long Total);

public sealed record SegmentMember(long CustomerId, string CustomerNumber, string Name, string Email, DateTimeOffset AddedAt);

/// <summary>/api/admin/segments: customer segments by criteria, their live members and the members' CSV (customers:read, customers:write).</summary>
public static class SegmentsApi
{
    public const string ReadPermission = "customers:read";
    public const string WritePermission = "customers:write";
    private const int MaxPageSize = 200;

    public static RouteGroupBuilder MapSegmentsApi(this RouteGroupBuilder api)
    {
        var segments = api.MapGroup("/admin/segments").WithTags("CRM").RequireAuthorization().WithRequestSizeLimit(16 * 1024);
        segments.MapGet("/", ListAsync).RequirePermission(ReadPermission)
            .WithName("ListSegments").WithSummary("Every segment with its live member count.");
        segments.MapGet("/{id:long}", GetAsync).RequirePermission(ReadPermission)
            .WithName("GetSegment").WithSummary("One segment with its criteria and member count.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        segments.MapPost("/", CreateAsync).RequirePermission(WritePermission)
            .WithName("CreateSegment")
            .WithSummary("Creates a segment from criteria (spent, orderCount, daysSinceLastOrder, loyaltyTiers, states, cities, categoriesBought, groups, newsletter) and computes its members; 422 names each wrong criterion.")
            .WithJsonExamples(CrmExamples.Segment)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        segments.MapPut("/{id:long}", UpdateAsync).RequirePermission(WritePermission)
            .WithName("UpdateSegment").WithSummary("Replaces a segment's definition and recomputes its members.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        segments.MapDelete("/{id:long}", DeleteAsync).RequirePermission(WritePermission)
            .WithName("DeleteSegment").WithSummary("Deletes a segment and its memberships.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        segments.MapGet("/{id:long}/members", MembersAsync).RequirePermission(ReadPermission)
            .WithName("ListSegmentMembers").WithSummary("The segment's members, newest first, a page at a time.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        segments.MapGet("/{id:long}/members.csv", MembersCsvAsync).RequirePermission(ReadPermission)
            .WithName("ExportSegmentMembers").WithSummary("Every member as CSV: customer number, name, e-mail, member since.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return segments;
    }

    private static async Task<Ok<IReadOnlyList<SegmentRow>>> ListAsync(SegmentStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken));

    private static async Task<Results<Ok<SegmentRow>, ProblemHttpResult>> GetAsync(long id, SegmentStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } segment ? TypedResults.Ok(segment) : Problems.NotFound("No such segment.");

    private static async Task<Results<Created<SegmentRow>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        SegmentInput body, SegmentStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var saved = await SaveAsync(null, body, store, http, cancellationToken);
        return saved is Ok<SegmentRow> ok ? TypedResults.Created($"/api/admin/segments/{ok.Value!.Id}", ok.Value) : (ProblemHttpResult)saved;
    }

    private static async Task<Results<Ok<SegmentRow>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, SegmentInput body, SegmentStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var saved = await SaveAsync(id, body, store, http, cancellationToken);
        return saved is Ok<SegmentRow> ok ? ok : (ProblemHttpResult)saved;
    }

    private static async Task<IResult> SaveAsync(long? id, SegmentInput body, SegmentStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var (criteria, errors) = SegmentCriteria.Parse(body.Criteria!.Value);
        if (criteria is null)
        {
            return Unprocessable(errors);
        }

        var save = await store.SaveAsync(id, body.Name!.Trim(), string.IsNullOrWhiteSpace(body.Description) ? null : body.Description.Trim(),
            body.Criteria.Value, criteria, body.IsActive ?? true, AuditActors.From(http), cancellationToken);
        return save.Status switch
        {
            SegmentSaveStatus.Saved => TypedResults.Ok(save.Segment!),
            SegmentSaveStatus.NotFound => Problems.NotFound("No such segment."),
            SegmentSaveStatus.NameTaken => Problems.Conflict("Name taken.", "Another segment has this name."),
            _ => Unprocessable(save.Errors!),
        };
    }

    private static ProblemHttpResult Unprocessable(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "One or more criteria cannot be used.",
        });

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, SegmentStore store, HttpContext http, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, AuditActors.From(http), cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("No such segment.");

    private static async Task<Results<Ok<SegmentMemberPage>, ProblemHttpResult>> MembersAsync(
        long id, SegmentStore store, CancellationToken cancellationToken,
        [Range(1, 100_000, ErrorMessage = "Pages start at 1.")] int page = 1,
        [Range(1, MaxPageSize, ErrorMessage = "Between 1 and {2}.")] int pageSize = 50)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return Problems.NotFound("No such segment.");
        }

        var rows = await store.MembersAsync(id, pageSize, (long)(page - 1) * pageSize, cancellationToken);
        return TypedResults.Ok(new SegmentMemberPage(
            rows.Select(r => new SegmentMember(r.CustomerId, r.CustomerNumber, r.Name, r.Email, r.AddedAt)).ToList(),
            page, pageSize, rows.Count == 0 ? 0 : rows[0].Total));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> MembersCsvAsync(long id, SegmentStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } segment
            ? TypedResults.File(Encoding.UTF8.GetBytes(await store.MembersCsvAsync(id, cancellationToken)), "text/csv", $"segmento-{segment.Id}.csv")
            : Problems.NotFound("No such segment.");
}
