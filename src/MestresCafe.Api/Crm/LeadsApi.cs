using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Purchasing;
using MestresCafe.Api.Security;
using MestresCafe.Crm;
using MestresCafe.TaxIds;
using MestresCafe.Data.Crm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MestresCafe.Api.Customers;

namespace MestresCafe.Api.Crm;

public sealed class LeadStatusAttribute() : OneOfAttribute(LeadPipeline.Statuses, "One of");

public sealed class LeadSourceAttribute() : OneOfAttribute(LeadPipeline.Sources, "One of");

public sealed class LeadActivityTypeAttribute() : OneOfAttribute(LeadPipeline.ActivityTypes, "One of");

/// <summary>A lead as staff write it; e-mail or phone is required (the table's rule).</summary>
public sealed record LeadInput(
    [TrimmedLength(100)] string? FirstName,
    [TrimmedLength(100)] string? LastName,
    [EmailAddress(ErrorMessage = "An e-mail address."), TrimmedLength(254)] string? Email,
    [TrimmedLength(20)] string? Phone,
    [TrimmedLength(200)] string? Company,
    [LeadSource(Optional = true)] string? Source,
    [Range(0, 999_999_999, ErrorMessage = "From {1}.")] decimal? EstimatedValue,
    [TrimmedLength(4000)] string? Notes,
    long? AssignedTo) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Email) && string.IsNullOrWhiteSpace(Phone))
        {
            yield return new ValidationResult("An e-mail or a phone.", ["email"]);
        }
    }

    public LeadFields ToFields(string defaultSource) => new(
        Clean(FirstName), Clean(LastName), Clean(Email)?.ToLowerInvariant(), Clean(Phone), Clean(Company), Source ?? defaultSource,
        EstimatedValue, Clean(Notes), AssignedTo);

    internal static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record LeadMove([Required(ErrorMessage = "Required."), LeadStatus] string? Status);

/// <summary>An activity; a task needs its due date (scheduledAt).</summary>
public sealed record LeadActivityInput(
    [Required(ErrorMessage = "Required."), LeadActivityType] string? Type,
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(200)] string? Subject,
    [TrimmedLength(4000)] string? Description,
    DateTimeOffset? ScheduledAt) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Type == LeadPipeline.Task && ScheduledAt is null)
        {
            yield return new ValidationResult("A task needs its due date.", ["scheduledAt"]);
        }
    }
}

/// <summary>Converting a won lead: the company's CNPJ, whether to create its account, a group to join.</summary>
public sealed record LeadConversionInput([Cnpj] string? TaxId, bool? CreateUser, long? GroupId);

public sealed record LeadDetail(LeadRow Lead, IReadOnlyList<LeadActivityRow> Activities);

/// <summary>/api/admin/leads: wholesale leads, their status flow, activities and conversion (customers:read, customers:write).</summary>
public static class LeadsApi
{
    private const int MaxPageSize = 100;

    public static RouteGroupBuilder MapLeadsApi(this RouteGroupBuilder api)
    {
        var leads = api.MapGroup("/admin/leads").WithTags("CRM").RequireAuthorization().WithRequestSizeLimit(16 * 1024);
        leads.MapGet("/", ListAsync).RequirePermission(SegmentsApi.ReadPermission)
            .WithName("ListLeads").WithSummary("Leads by status and assignee, newest first.");
        leads.MapGet("/activities/mine", MyOpenActivitiesAsync).RequirePermission(SegmentsApi.ReadPermission)
            .WithName("MyOpenLeadActivities").WithSummary("Activities not yet done on the caller's leads or created by them, soonest due first.");
        leads.MapGet("/{id:long}", GetAsync).RequirePermission(SegmentsApi.ReadPermission)
            .WithName("GetLead").WithSummary("One lead with its activities.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        leads.MapPost("/", CreateAsync).RequirePermission(SegmentsApi.WritePermission)
            .WithName("CreateLead").WithSummary("Records a lead (status new).")
            .WithJsonExamples(CrmExamples.Lead)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        leads.MapPut("/{id:long}", UpdateAsync).RequirePermission(SegmentsApi.WritePermission)
            .WithName("UpdateLead").WithSummary("Replaces a lead's details and assignee; the status moves only through /status.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        leads.MapPost("/{id:long}/status", MoveAsync).RequirePermission(SegmentsApi.WritePermission)
            .WithName("MoveLead").WithSummary("Moves a lead along new → contacted → qualified → proposal → won, or to lost; 409 for any other move.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        leads.MapPost("/{id:long}/activities", AddActivityAsync).RequirePermission(SegmentsApi.WritePermission)
            .WithName("AddLeadActivity").WithSummary("Records a call, meeting, e-mail or task (with its due date) on a lead.")
            .WithJsonExamples(CrmExamples.LeadActivity)
            .ProducesProblem(StatusCodes.Status404NotFound);
        leads.MapPost("/{id:long}/activities/{activityId:long}/complete", CompleteActivityAsync).RequirePermission(SegmentsApi.WritePermission)
            .WithName("CompleteLeadActivity").WithSummary("Marks an activity done.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        leads.MapPost("/{id:long}/convert", ConvertAsync).RequirePermission(SegmentsApi.WritePermission)
            .WithName("ConvertLead")
            .WithSummary("Turns a won lead into a business customer in one transaction: the account (created when asked), the customer record, the group membership; the lead keeps its history.")
            .WithJsonExamples(CrmExamples.LeadConversion)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return leads;
    }

    private static async Task<Ok<IReadOnlyList<LeadRow>>> ListAsync(
        LeadStore store, CancellationToken cancellationToken,
        [LeadStatus(Optional = true)] string? status = null, long? assignedTo = null,
        [Range(1, 100_000, ErrorMessage = "Pages start at 1.")] int page = 1,
        [Range(1, MaxPageSize, ErrorMessage = "Between 1 and {2}.")] int pageSize = 20) =>
        TypedResults.Ok(await store.ListAsync(status, assignedTo, pageSize, (long)(page - 1) * pageSize, cancellationToken));

    private static async Task<Ok<IReadOnlyList<LeadActivityRow>>> MyOpenActivitiesAsync(LeadStore store, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.OpenActivitiesOfAsync(http.User.GetUserId(), cancellationToken));

    private static async Task<Results<Ok<LeadDetail>, ProblemHttpResult>> GetAsync(long id, LeadStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } lead
            ? TypedResults.Ok(new LeadDetail(lead, await store.ActivitiesAsync(id, cancellationToken)))
            : Problems.NotFound("No such lead.");

    private static async Task<Results<Created<LeadRow>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        LeadInput body, LeadStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var change = await store.CreateAsync(body.ToFields("other"), AuditActors.From(http), cancellationToken);
        return change.Outcome == LeadOutcome.Done
            ? TypedResults.Created($"/api/admin/leads/{change.Lead!.Id}", change.Lead)
            : Problems.Unprocessable(change.Field!, change.Detail!);
    }

    private static async Task<Results<Ok<LeadRow>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, LeadInput body, LeadStore store, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await store.UpdateAsync(id, body.ToFields("other"), AuditActors.From(http), cancellationToken));

    private static async Task<Results<Ok<LeadRow>, ValidationProblem, ProblemHttpResult>> MoveAsync(
        long id, LeadMove body, LeadStore store, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await store.MoveAsync(id, body.Status!, AuditActors.From(http), cancellationToken));

    private static async Task<Results<Ok<LeadRow>, ValidationProblem, ProblemHttpResult>> ConvertAsync(
        long id, LeadConversionInput body, LeadStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var taxId = LeadInput.Clean(body.TaxId) is { } cnpj ? Cnpj.Normalize(cnpj) : null;
        if (taxId is not null && !taxId.All(char.IsAsciiDigit))
        {
            // customers.tax_id holds digits only until the record accepts the alphanumeric CNPJ.
            return Problems.Unprocessable("taxId", "Only a numeric CNPJ can be recorded yet.");
        }

        return Answer(await store.ConvertAsync(id, new LeadConversion(taxId, body.CreateUser ?? false, body.GroupId), AuditActors.From(http), cancellationToken));
    }

    private static async Task<Results<Created<LeadActivityRow>, ValidationProblem, ProblemHttpResult>> AddActivityAsync(
        long id, LeadActivityInput body, LeadStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var (outcome, activity) = await store.AddActivityAsync(id,
            new NewActivity(body.Type!, body.Subject!.Trim(), LeadInput.Clean(body.Description), body.ScheduledAt), AuditActors.From(http), cancellationToken);
        return outcome == LeadOutcome.Done
            ? TypedResults.Created($"/api/admin/leads/{id}/activities/{activity!.Id}", activity)
            : Problems.NotFound("No such lead.");
    }

    private static async Task<Results<Ok<LeadActivityRow>, ProblemHttpResult>> CompleteActivityAsync(
        long id, long activityId, LeadStore store, HttpContext http, CancellationToken cancellationToken) =>
        await store.CompleteActivityAsync(id, activityId, AuditActors.From(http), cancellationToken) is { } activity
            ? TypedResults.Ok(activity)
            : Problems.NotFound("No such activity on this lead.");

    private static Results<Ok<LeadRow>, ValidationProblem, ProblemHttpResult> Answer(LeadChange change) => change.Outcome switch
    {
        LeadOutcome.Done => TypedResults.Ok(change.Lead!),
        LeadOutcome.NotFound => Problems.NotFound("No such lead."),
        LeadOutcome.Refused => Problems.Conflict("Not allowed now.", change.Detail),
        _ => Problems.Unprocessable(change.Field!, change.Detail!),
    };
}
