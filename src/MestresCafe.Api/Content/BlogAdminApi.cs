using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog;
using SlugAttribute = MestresCafe.Api.Catalog.Admin.SlugAttribute;
using ImageUrlAttribute = MestresCafe.Api.Catalog.Admin.ImageUrlAttribute;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Content;
using MestresCafe.Data.Admin;
using MestresCafe.Data.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static MestresCafe.Api.Admin.WriteOutcome;

namespace MestresCafe.Api.Content;

/// <summary>A post as an editor writes it: the body in Markdown; the slug is made from the title when absent.</summary>
public sealed record BlogPostInput(
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(255)] string? Title,
    [Slug(255)] string? Slug,
    [TrimmedLength(1000)] string? Excerpt,
    [Required(ErrorMessage = "Required."), StringLength(60_000, ErrorMessage = "At most {1} characters.")] string? Content,
    [ImageUrl] string? FeaturedImage,
    [TrimmedLength(70)] string? SeoTitle,
    [TrimmedLength(160)] string? SeoDescription,
    [TrimmedLength(255)] string? SeoKeywords,
    [MaxLength(20, ErrorMessage = "At most {1}.")] long[]? CategoryIds,
    [MaxLength(30, ErrorMessage = "At most {1}.")] long[]? TagIds)
{
    internal BlogPostFields ToFields() => new(
        Title!.Trim(), Slug?.Trim() ?? CatalogValidation.Slugify(Title!), Trimmed(Excerpt), Content!, Trimmed(FeaturedImage),
        JsonSerializer.Serialize(new { title = Trimmed(SeoTitle), description = Trimmed(SeoDescription), keywords = Trimmed(SeoKeywords) }),
        CategoryIds ?? [], TagIds ?? []);

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>When to publish: absent or not in the future publishes now, a later time schedules.</summary>
public sealed record PublishInput(DateTimeOffset? PublishAt);

public sealed record BlogTermInput(
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(120)] string? Name,
    [Slug(100)] string? Slug,
    [TrimmedLength(2000)] string? Description);

/// <summary>
/// The blog's back office (content:write): posts through the editorial workflow
/// (<see cref="BlogPostLifecycle"/>), categories and tags. Every write is audited and drops the blog
/// cache on every server once committed.
/// </summary>
public static class BlogAdminApi
{
    public static RouteGroupBuilder MapBlogAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/content/blog").WithTags("Content back office").RequirePermission("content:write");
        admin.MapGet("/posts", ListAsync)
            .WithName("ListBlogPostsForEditors")
            .WithSummary("Posts in any state (or one status), last changed first.");
        admin.MapGet("/posts/{id:long}", async Task<Results<Ok<BlogPostAdminView>, ProblemHttpResult>> (long id, BlogAdminStore store, CancellationToken ct) =>
                await store.GetAsync(id, ct) is { } post ? TypedResults.Ok(post) : Problems.NotFound("No such post."))
            .WithName("GetBlogPostForEditors")
            .WithSummary("One post with its Markdown, status and term ids.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/posts", CreateAsync)
            .WithName("CreateBlogPost")
            .WithSummary("A new draft.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPut("/posts/{id:long}", UpdateAsync)
            .WithName("UpdateBlogPost")
            .WithSummary("Replaces a post's text, image, SEO fields, categories and tags, in any state.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        MapMove(admin, "submit", "SubmitBlogPost", "Draft or unpublished → review.", (post, _) => BlogPostLifecycle.Submit(post));
        MapMove(admin, "send-back", "SendBackBlogPost", "Review, or scheduled and not yet live → draft.", BlogPostLifecycle.SendBack);
        MapMove(admin, "unpublish", "UnpublishBlogPost", "Live → unpublished.", BlogPostLifecycle.Unpublish);
        admin.MapPost("/posts/{id:long}/publish", PublishAsync)
            .WithName("PublishBlogPost")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Review (or scheduled) → published now, or scheduled for publishAt.");
        admin.MapPost("/categories", (BlogTermInput body, HttpContext http, ContentWriter writer, BlogAdminStore store) =>
                CreateTermAsync(BlogTermKind.Category, body, http, writer, store))
            .WithName("CreateBlogCategory")
            .WithSummary("A blog category.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/tags", (BlogTermInput body, HttpContext http, ContentWriter writer, BlogAdminStore store) =>
                CreateTermAsync(BlogTermKind.Tag, body, http, writer, store))
            .WithName("CreateBlogTag")
            .WithSummary("A blog tag.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return admin;
    }

    private static async Task<Ok<IReadOnlyList<BlogPostAdminView>>> ListAsync(BlogAdminStore store, CancellationToken cancellationToken, [OneOfBlogStatus] string? status = null) =>
        TypedResults.Ok(await store.ListAsync(status, 200, cancellationToken));

    private static async Task<Results<Created<BlogPostAdminView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        BlogPostInput body, HttpContext http, ContentWriter writer, BlogAdminStore store) =>
        AdminResults.Created<BlogPostAdminView>(await writer.RunAsync(http, "blog_post.create", "blog_posts", async (scope, ct) =>
            Done(await store.CreateAsync(scope, body.ToFields(), http.User.GetUserId(), ct))), "/api/admin/content/blog/posts/");

    private static async Task<Results<Ok<BlogPostAdminView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, BlogPostInput body, HttpContext http, ContentWriter writer, BlogAdminStore store) =>
        AdminResults.Ok<BlogPostAdminView>(await writer.RunAsync(http, "blog_post.update", "blog_posts", async (scope, ct) =>
            Done(await store.UpdateAsync(scope, id, body.ToFields(), ct))));

    private static Task<Results<Ok<BlogPostAdminView>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        long id, PublishInput? body, HttpContext http, ContentWriter writer, BlogAdminStore store) =>
        MoveAsync(id, "publish", (post, now) => BlogPostLifecycle.Publish(post, body?.PublishAt, now), http, writer, store);

    private static void MapMove(RouteGroupBuilder admin, string move, string name, string summary,
        Func<BlogPostState, DateTimeOffset, BlogPostMove> decide) =>
        admin.MapPost($"/posts/{{id:long}}/{move}", (long id, HttpContext http, ContentWriter writer, BlogAdminStore store) =>
                MoveAsync(id, move, decide, http, writer, store))
            .WithName(name)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary(summary);

    private static async Task<Results<Ok<BlogPostAdminView>, ValidationProblem, ProblemHttpResult>> MoveAsync(
        long id, string move, Func<BlogPostState, DateTimeOffset, BlogPostMove> decide, HttpContext http, ContentWriter writer, BlogAdminStore store) =>
        AdminResults.Ok<BlogPostAdminView>(await writer.RunAsync(http, "blog_post." + move.Replace('-', '_'), "blog_posts", async (scope, ct) =>
        {
            var (change, refusal) = await store.MoveAsync(scope, id, decide, ct);
            return refusal is not null ? Fail(Problems.Conflict("Not allowed in this state.", refusal)) : Done(change);
        }));

    private static async Task<Results<Created<BlogTermView>, ValidationProblem, ProblemHttpResult>> CreateTermAsync(
        BlogTermKind kind, BlogTermInput body, HttpContext http, ContentWriter writer, BlogAdminStore store)
    {
        var table = kind == BlogTermKind.Category ? "blog_categories" : "blog_tags";
        var slug = body.Slug?.Trim() ?? CatalogValidation.Slugify(body.Name!);
        return AdminResults.Created<BlogTermView>(await writer.RunAsync(http, table.TrimEnd('s') + ".create", table, async (scope, ct) =>
            Done(await store.CreateTermAsync(scope, kind, body.Name!.Trim(), slug, string.IsNullOrWhiteSpace(body.Description) ? null : body.Description.Trim(), ct))),
            $"/api/content/blog/{(kind == BlogTermKind.Category ? "categories" : "tags")}/");
    }
}

/// <summary>A <see cref="BlogPostStatus"/> name.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfBlogStatusAttribute : OneOfAttribute
{
    public OneOfBlogStatusAttribute() : base(Enum.GetValues<BlogPostStatus>().Select(s => s.ToSnakeCase()).ToArray()) => Optional = true;
}

/// <summary>
/// Runs one blog or course write through the <see cref="AuditedWriter"/>, then drops the content
/// cache on every server once it committed (a publication, an edit or an unpublish shows at once).
/// </summary>
public sealed class ContentWriter(AuditedWriter writer, ContentCache cache) : IAuditedWriter
{
    public async Task<(RowChange? Change, IResult? Problem)> RunAsync(
        HttpContext http, string action, string table, Func<WriteScope, CancellationToken, Task<WriteOutcome>> step)
    {
        var result = await writer.RunAsync(http, action, table, step);
        if (result.Change is not null)
        {
            await cache.InvalidateAsync(CancellationToken.None);
        }

        return result;
    }
}
