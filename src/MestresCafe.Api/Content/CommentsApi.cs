using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using MestresCafe.Content;
using MestresCafe.Data.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static MestresCafe.Api.Admin.WriteOutcome;

namespace MestresCafe.Api.Content;

/// <summary>A comment in Markdown (no raw HTML); <c>parentId</c> answers a published top-level comment.</summary>
public sealed record CommentInput(
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(CommentRules.MaxLength)] string? Content,
    [RowId] long? ParentId);

public sealed record CommentView(long Id, long? ParentId, string Status, string Content, DateTimeOffset CreatedAt);

/// <summary>A published comment with its published replies, the text as sanitised HTML.</summary>
public sealed record CommentThread(long Id, string Author, string ContentHtml, DateTimeOffset CreatedAt, IReadOnlyList<CommentThread> Replies);

/// <summary>
/// Blog comments: signed-in users comment on live posts (rate limited; links removed for accounts
/// younger than a week); comments wait for moderation (content:write) and show one level of replies.
/// </summary>
public static class CommentsApi
{
    public static RouteGroupBuilder MapCommentsApi(this RouteGroupBuilder blog, RouteGroupBuilder api)
    {
        blog.MapPost("/posts/{slug}/comments", CreateAsync)
            .RequireAuthorization()
            .RequireRateLimiting(RateLimitPolicies.Comments)
            .WithName("CreateBlogComment")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Comment on a live post (or answer a published comment); it is shown after moderation.");
        blog.MapGet("/posts/{slug}/comments", ThreadsAsync)
            .WithName("ListBlogComments")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Published comments of a live post, oldest first, each with its published replies.");

        var moderation = api.MapGroup("/admin/content/comments").WithTags("Content back office").RequirePermission("content:write");
        moderation.MapGet("/", ListAsync)
            .WithName("ListBlogCommentsForModeration")
            .WithSummary("Comments in one status (pending by default), oldest first.");
        moderation.MapPost("/{id:long}/approve", (long id, HttpContext http, ContentWriter writer, BlogCommentStore store) =>
                ModerateAsync(id, CommentStatus.Approved, http, writer, store))
            .WithName("ApproveBlogComment")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Publish a pending comment.");
        moderation.MapPost("/{id:long}/reject", (long id, HttpContext http, ContentWriter writer, BlogCommentStore store) =>
                ModerateAsync(id, CommentStatus.Rejected, http, writer, store))
            .WithName("RejectBlogComment")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Reject a pending comment.");
        return blog;
    }

    private static async Task<Results<Created<CommentView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string slug, CommentInput body, HttpContext http, AuditedWriter writer, BlogCommentStore store)
    {
        if (!CatalogValidation.IsSlug(slug))
        {
            return Problems.NotFound("No such post.");
        }

        var userId = http.User.GetUserId();
        return AdminResults.Created<CommentView>(await writer.RunAsync(http, "blog_comment.create", "blog_comments", async (scope, ct) =>
        {
            if (await store.ContextAsync(scope, slug, userId, body.ParentId, ct) is not { } context)
            {
                return Fail(Problems.NotFound("No such post."));
            }

            if (body.ParentId is not null && CommentRules.CheckReply(context.Parent, context.PostId) is { } refusal)
            {
                return Fail(Problems.Unprocessable("parentId", refusal));
            }

            var content = CommentRules.Normalize(body.Content!, CommentRules.IsNewAccount(context.AuthorSince, context.Now));
            if (content.Length == 0)
            {
                return Fail(Problems.Unprocessable("content", "Nothing is left once links are removed (accounts younger than a week cannot post links)."));
            }

            return Done(await store.InsertAsync(scope, context.PostId, userId, body.ParentId, content, ct));
        }), "/api/admin/content/comments/");
    }

    private static async Task<Results<Ok<IReadOnlyList<CommentThread>>, ProblemHttpResult>> ThreadsAsync(
        string slug, BlogCommentStore store, ContentCache cache, CancellationToken cancellationToken)
    {
        if (!CatalogValidation.IsSlug(slug))
        {
            return Problems.NotFound("No such post.");
        }

        var threads = await cache.GetOrCreateAsync("comments:" + slug, async token =>
            await store.ApprovedAsync(slug, token) is { } comments ? Threads(comments) : null, cancellationToken);
        return threads is null ? Problems.NotFound("No such post.") : TypedResults.Ok(threads);
    }

    private static IReadOnlyList<CommentThread> Threads(IReadOnlyList<PublicComment> comments)
    {
        var replies = comments.Where(c => c.ParentId is not null).ToLookup(c => c.ParentId!.Value);
        return comments.Where(c => c.ParentId is null)
            .Select(c => Thread(c, replies[c.Id].Select(r => Thread(r, [])).ToList()))
            .ToList();
    }

    private static CommentThread Thread(PublicComment comment, IReadOnlyList<CommentThread> replies) =>
        new(comment.Id, comment.Author, MarkdownRenderer.ToSafeCustomerHtml(comment.Content, allowLinks: true), comment.CreatedAt, replies);

    private static async Task<Ok<IReadOnlyList<ModeratedComment>>> ListAsync(
        BlogCommentStore store, CancellationToken cancellationToken, [OneOfCommentStatus] string? status = null) =>
        TypedResults.Ok(await store.ListAsync(status ?? CommentStatus.Pending.ToSnakeCase(), 200, cancellationToken));

    private static async Task<Results<Ok<CommentView>, ValidationProblem, ProblemHttpResult>> ModerateAsync(
        long id, CommentStatus to, HttpContext http, ContentWriter writer, BlogCommentStore store) =>
        AdminResults.Ok<CommentView>(await writer.RunAsync(http, "blog_comment." + to.ToSnakeCase(), "blog_comments", async (scope, ct) =>
        {
            var (change, refusal) = await store.ModerateAsync(scope, id, to, ct);
            return refusal is not null ? Fail(Problems.Conflict("Already moderated.", refusal)) : Done(change);
        }));
}

/// <summary>A <see cref="CommentStatus"/> name.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfCommentStatusAttribute : OneOfAttribute
{
    public OneOfCommentStatusAttribute() : base(Enum.GetValues<CommentStatus>().Select(s => s.ToSnakeCase()).ToArray()) => Optional = true;
}
