using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Data.Admin;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Data.Catalog;
using MestresCafe.Loyalty;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NpgsqlTypes;
using static MestresCafe.Api.Admin.WriteOutcome;

namespace MestresCafe.Api.Catalog;

/// <summary>Fields a customer sets on a review; the product comes from the route, the author from the session.</summary>
public sealed record ReviewInput(
    [Required(ErrorMessage = "Required."), Range(1, 5, ErrorMessage = "From {1} to {2}.")] int? Rating,
    [TrimmedLength(200)] string? Title,
    [TrimmedLength(5000)] string? Content);

/// <summary>
/// Reviews: a customer who bought a product reviews it once; the review waits for moderation
/// (products:write) before the storefront shows it.
/// </summary>
public static class ReviewsApi
{
    public static RouteGroupBuilder MapReviewsApi(this RouteGroupBuilder api)
    {
        var storefront = api.MapGroup("/catalog").WithTags("Reviews");
        storefront.MapPost("/products/{slug}/reviews", CreateAsync)
            .RequirePermission("reviews:write_own")
            .WithName("CreateReview")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Review a product you bought (once); it is published after moderation.");

        var moderation = api.MapGroup("/admin/catalog/reviews").WithTags("Catalog back office");
        moderation.MapGet("/", ListAsync)
            .RequirePermission("products:read")
            .WithName("ListReviewsForModeration")
            .WithSummary("Reviews waiting for moderation (approved=false, the default) or published ones.");
        moderation.MapPost("/{id:long}/approve", ApproveAsync)
            .RequirePermission("products:write")
            .WithName("ApproveReview")
            .WithSummary("Publish a review.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        moderation.MapDelete("/{id:long}", RejectAsync)
            .RequirePermission("products:write")
            .WithName("RejectReview")
            .WithSummary("Reject (delete) a review.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return storefront;
    }

    private static async Task<Results<Created<AdminReview>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string slug, ReviewInput body, HttpContext http, AuditedWriter writer, ReviewStore reviews)
    {
        if (!CatalogValidation.IsSlug(slug))
        {
            return Problems.NotFound("No such product.");
        }

        var title = string.IsNullOrWhiteSpace(body.Title) ? null : body.Title.Trim();
        var content = string.IsNullOrWhiteSpace(body.Content) ? null : body.Content.Trim();
        var result = await writer.RunAsync(http, "review.create", "product_reviews", async (scope, ct) =>
        {
            var (outcome, change) = await reviews.CreateAsync(scope, http.User.GetUserId(), slug, body.Rating!.Value, title, content, ct);
            return outcome switch
            {
                ReviewOutcome.Created => Done(change!),
                ReviewOutcome.ProductNotFound => Fail(Problems.NotFound("No such product.")),
                ReviewOutcome.NotPurchased => Fail(Problems.Forbidden("Only customers who bought this product can review it.")),
                _ => Fail(Problems.Conflict("Already reviewed.", "You have already reviewed this product.")),
            };
        });
        return AdminResults.Created<AdminReview>(result, "/api/admin/catalog/reviews/");
    }

    private static async Task<Ok<IReadOnlyList<PendingReview>>> ListAsync(ReviewStore reviews, CancellationToken cancellationToken, bool approved = false, int limit = 50) =>
        TypedResults.Ok(await reviews.ListAsync(approved, Math.Clamp(limit, 1, 200), cancellationToken));

    /// <summary>
    /// Publishes the review and counts it for the author's review achievements. The account records
    /// the activity before the approval commits, under an id derived from the review: a failed commit
    /// leaves a recorded activity that approving again does not count twice, never an approved
    /// review that was not counted.
    /// </summary>
    private static async Task<Results<Ok<AdminReview>, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store, IGrainFactory grains) =>
        AdminResults.Ok<AdminReview>(await writer.RunAsync(http, "review.approve", "product_reviews", async (scope, ct) =>
        {
            var change = await store.UpdateAsync(scope, "product_reviews", id, [new ColumnValue("is_approved", true, NpgsqlDbType.Boolean)], null, ct);
            if (change?.New is { } review && review.TryGetProperty("user_id", out var author) && author.TryGetInt64(out var authorId))
            {
                await grains.GetGrain<ILoyaltyAccountGrain>(authorId).RecordActivityAsync(new LoyaltyActivity(
                    LoyaltyActivities.EventIdFor(LoyaltyActivities.ReviewApproved, id), DateTimeOffset.UtcNow, LoyaltyActivities.ReviewApproved));
            }

            return Done(change);
        }));

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RejectAsync(
        long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "review.reject", "product_reviews", async (scope, ct) =>
            Done(await store.DeleteAsync(scope, "product_reviews", id, null, ct))));
}
