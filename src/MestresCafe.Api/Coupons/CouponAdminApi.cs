using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Audit;
using MestresCafe.Api.Security;
using MestresCafe.Coupons;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Coupons;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Coupons;

/// <summary>
/// /api/admin/coupons: the back office's coupons (permissions coupons:read and coupons:write of the
/// seed). Every change goes through the coupon's grain, the only writer of its coupons row; lists
/// and usage come from the relational tables the grain projects into.
/// </summary>
public static class CouponAdminApi
{
    public const string ReadPermission = "coupons:read";
    public const string WritePermission = "coupons:write";
    private const int MaxPageSize = 100;
    private const int MaxSearchLength = 100;
    private const string PageMessage = "Pages start at 1.";
    private const string PageSizeMessage = "Between 1 and {2}.";

    public static RouteGroupBuilder MapCouponAdminApi(this RouteGroupBuilder api)
    {
        var coupons = api.MapGroup("/admin/coupons").WithTags("Coupons").RequireAuthorization();

        coupons.MapGet("/", ListAsync)
            .RequirePermission(ReadPermission)
            .WithName("ListCoupons")
            .WithSummary("Coupons, newest first, filtered by active flag and a search on code or description.");
        coupons.MapPost("/", CreateAsync)
            .RequirePermission(WritePermission)
            .WithName("CreateCoupon")
            .WithSummary("Creates a coupon; the code is upper-cased and must be new.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        coupons.MapGet("/{code}", GetAsync)
            .RequirePermission(ReadPermission)
            .WithName("GetCoupon")
            .WithSummary("One coupon: definition, confirmed and held uses, and what coupon_usage records.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        coupons.MapPut("/{code}", UpdateAsync)
            .RequirePermission(WritePermission)
            .WithName("UpdateCoupon")
            .WithSummary("Replaces a coupon's definition; its uses are kept and the usage limit cannot drop below them.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        coupons.MapPost("/{code}/deactivate", DeactivateAsync)
            .RequirePermission(WritePermission)
            .WithName("DeactivateCoupon")
            .WithSummary("Stops a coupon from being used by new checkouts; holds already taken can still be confirmed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        coupons.MapGet("/{code}/usage", UsageAsync)
            .RequirePermission(ReadPermission)
            .WithName("ListCouponUsage")
            .WithSummary("The orders that used a coupon, newest first, with the customer and the discount.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return coupons;
    }

    private static async Task<Results<Ok<CouponPage>, ValidationProblem>> ListAsync(
        CouponReadModel readModel, CancellationToken cancellationToken, bool? active = null,
        [StringLength(MaxSearchLength, ErrorMessage = "At most {1} characters.")] string? search = null,
        [Range(1, 100_000, ErrorMessage = PageMessage)] int page = 1,
        [Range(1, MaxPageSize, ErrorMessage = PageSizeMessage)] int pageSize = 20) =>
        TypedResults.Ok(await readModel.ListAsync(active, search, page, pageSize, cancellationToken));

    private static async Task<Results<Created<CouponView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CouponRequest request, IGrainFactory grains, CouponReadModel readModel, AuditJournal audit, HttpContext http, CancellationToken cancellationToken)
    {
        // The body is valid (CouponRequest); a new coupon also needs its code, which an update takes from the route.
        var code = CouponCode.Normalize(request.Code);
        var definition = CouponRequestMapping.ToDefinition(request);
        var errors = new Dictionary<string, string[]>();
        if (!CouponCode.IsValid(code))
        {
            errors["code"] = [CouponCodeFormatAttribute.Message];
        }

        Merge(errors, await readModel.UnknownReferencesAsync(definition.Conditions, cancellationToken));
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        CouponSnapshot? created;
        try
        {
            created = await grains.GetGrain<ICouponGrain>(code).CreateAsync(definition);
        }
        catch (CouponDefinitionException refused)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] });
        }

        if (created is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A coupon with this code already exists.",
                detail: $"Coupon {code} exists; update it with PUT instead.");
        }

        var view = CouponView.From(created);
        await AuditAsync(readModel, audit, http, "coupon.create", code, null, view, cancellationToken);
        return TypedResults.Created($"/api/admin/coupons/{code}", view);
    }

    private static async Task<Results<Ok<CouponView>, ProblemHttpResult>> GetAsync(
        string code, IGrainFactory grains, CouponReadModel readModel, CancellationToken cancellationToken)
    {
        var normalized = CouponCode.Normalize(code);
        if (!CouponCode.IsValid(normalized) || await grains.GetGrain<ICouponGrain>(normalized).GetAsync() is not { } snapshot)
        {
            return NotFound(normalized);
        }

        var usage = await readModel.UsageSummaryAsync(normalized, cancellationToken);
        return TypedResults.Ok(CouponView.From(snapshot, usage));
    }

    private static async Task<Results<Ok<CouponView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string code, CouponRequest request, IGrainFactory grains, CouponReadModel readModel, AuditJournal audit, HttpContext http, CancellationToken cancellationToken)
    {
        var normalized = CouponCode.Normalize(code);
        var grain = grains.GetGrain<ICouponGrain>(normalized);
        if (!CouponCode.IsValid(normalized) || await grain.GetAsync() is not { } before)
        {
            return NotFound(normalized);
        }

        // The body is valid (CouponRequest); what remains needs the route, the read model or the grain.
        var definition = CouponRequestMapping.ToDefinition(request);
        var errors = new Dictionary<string, string[]>();
        if (request.Code is { } bodyCode && CouponCode.Normalize(bodyCode) != normalized)
        {
            errors["code"] = ["A coupon's code cannot change; create a new coupon instead."];
        }

        Merge(errors, await readModel.UnknownReferencesAsync(definition.Conditions, cancellationToken));
        var taken = before.UsedCount + before.HeldCount;
        if (definition.UsageLimit is { } limit && limit < taken)
        {
            errors["usageLimit"] = [$"{taken} uses are already confirmed or held."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await DefineAsync(grain, definition, before, "coupon.update", readModel, audit, http, cancellationToken);
    }

    private static async Task<Results<Ok<CouponView>, ValidationProblem, ProblemHttpResult>> DeactivateAsync(
        string code, IGrainFactory grains, CouponReadModel readModel, AuditJournal audit, HttpContext http, CancellationToken cancellationToken)
    {
        var normalized = CouponCode.Normalize(code);
        var grain = grains.GetGrain<ICouponGrain>(normalized);
        if (!CouponCode.IsValid(normalized) || await grain.GetAsync() is not { } before)
        {
            return NotFound(normalized);
        }

        if (!before.Definition.IsActive)
        {
            return TypedResults.Ok(CouponView.From(before));
        }

        return await DefineAsync(grain, before.Definition with { IsActive = false }, before, "coupon.deactivate", readModel, audit, http, cancellationToken);
    }

    private static async Task<Results<Ok<CouponUsagePage>, ValidationProblem, ProblemHttpResult>> UsageAsync(
        string code, IGrainFactory grains, CouponReadModel readModel, CancellationToken cancellationToken,
        [Range(1, 100_000, ErrorMessage = PageMessage)] int page = 1,
        [Range(1, MaxPageSize, ErrorMessage = PageSizeMessage)] int pageSize = 20)
    {
        var normalized = CouponCode.Normalize(code);
        if (!CouponCode.IsValid(normalized) || await grains.GetGrain<ICouponGrain>(normalized).GetAsync() is null)
        {
            return NotFound(normalized);
        }

        return TypedResults.Ok(await readModel.UsageAsync(normalized, page, pageSize, cancellationToken));
    }

    private static async Task<Results<Ok<CouponView>, ValidationProblem, ProblemHttpResult>> DefineAsync(
        ICouponGrain grain, CouponDefinition definition, CouponSnapshot before, string action,
        CouponReadModel readModel, AuditJournal audit, HttpContext http, CancellationToken cancellationToken)
    {
        CouponSnapshot after;
        try
        {
            after = await grain.DefineAsync(definition);
        }
        catch (CouponDefinitionException refused)
        {
            // A hold taken since the checks above can still push the usage limit below the uses taken.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] });
        }

        var view = CouponView.From(after);
        await AuditAsync(readModel, audit, http, action, after.Code, CouponView.From(before), view, cancellationToken);
        return TypedResults.Ok(view);
    }

    /// <summary>
    /// The audit row is written on its own (<see cref="AuditJournal"/>): the change itself is the
    /// grain's state write, which no relational transaction can span. The coupons row id is there unless the grain's
    /// projection has not written a new coupon's row yet; the code is always in the values.
    /// </summary>
    private static async Task AuditAsync(
        CouponReadModel readModel, AuditJournal audit, HttpContext http, string action, string code, CouponView? before, CouponView after,
        CancellationToken cancellationToken) =>
        await audit.WriteAsync(http, action, "coupons", await readModel.IdOfAsync(code, cancellationToken), before, after, cancellationToken);

    private static ProblemHttpResult NotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such coupon.", detail: $"Coupon {code} does not exist.");

    private static void Merge(Dictionary<string, string[]> into, Dictionary<string, string[]> from)
    {
        foreach (var (field, messages) in from)
        {
            into[field] = into.TryGetValue(field, out var existing) ? [.. existing, .. messages] : messages;
        }
    }
}
