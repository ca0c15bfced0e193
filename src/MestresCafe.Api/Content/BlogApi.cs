using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog;
using SlugAttribute = MestresCafe.Api.Catalog.Admin.SlugAttribute;
using MestresCafe.Data.Catalog;
using MestresCafe.Data.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Content;

/// <summary>A live post as a reader gets it: the Markdown rendered to sanitised HTML.</summary>
public sealed record BlogPostView(
    long Id, string Title, string Slug, string? Excerpt, string ContentHtml, string? FeaturedImage, DateTimeOffset PublishedAt,
    DateTimeOffset UpdatedAt, string? AuthorName, JsonElement Categories, JsonElement Tags, JsonElement Seo, int ViewCount);

public sealed class BlogListRequest
{
    [Description("Blog category slug.")]
    [Slug(140, ErrorMessage = "Not a category slug.")]
    public string? Category { get; init; }

    [Description("Tag slug.")]
    [Slug(100, ErrorMessage = "Not a tag slug.")]
    public string? Tag { get; init; }

    [Range(1, 1000, ErrorMessage = "From {1} to {2}.")]
    public int? Page { get; init; }

    [Description("Posts per page, 1 to 50 (default 12).")]
    [Range(1, 50, ErrorMessage = "From {1} to {2}.")]
    public int? PageSize { get; init; }
}

public sealed class BlogSearchRequest
{
    [Description("Words to find in Portuguese, accents ignored (\"cafe\" finds \"Café\"); posts whose title matches come first.")]
    [Required(ErrorMessage = "Required."), StringLength(200, MinimumLength = 2, ErrorMessage = "From {2} to {1} characters.")]
    public string? Q { get; init; }

    [Range(1, 1000, ErrorMessage = "From {1} to {2}.")]
    public int? Page { get; init; }

    [Range(1, 50, ErrorMessage = "From {1} to {2}.")]
    public int? PageSize { get; init; }
}

/// <summary>
/// The public blog, anonymous and cached (<see cref="ContentCache"/>): posts by category or tag,
/// a post by slug (its view counted in memory), related posts, search, categories and tags.
/// </summary>
public static class BlogApi
{
    private const int DefaultPageSize = 12;

    public static RouteGroupBuilder MapBlogApi(this RouteGroupBuilder api)
    {
        var blog = api.MapGroup("/content/blog").WithTags("Blog");
        blog.MapGet("/posts", ListAsync)
            .WithName("ListBlogPosts")
            .WithSummary("Live posts, newest first, optionally of one category and one tag, in pages.");
        blog.MapGet("/posts/{slug}", GetAsync)
            .WithName("GetBlogPost")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One live post with its body as sanitised HTML; counts a view.");
        blog.MapGet("/posts/{slug}/related", RelatedAsync)
            .WithName("ListRelatedBlogPosts")
            .WithSummary("Up to 4 live posts sharing the most tags and categories with this one.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        blog.MapGet("/search", SearchAsync)
            .WithName("SearchBlog")
            .WithSummary("Full-text search in Portuguese, accents ignored; title matches first, then by relevance.");
        blog.MapGet("/categories", (BlogQueries queries, ContentCache cache, CancellationToken ct) =>
                cache.GetOrCreateAsync("categories", queries.CategoriesAsync, ct))
            .WithName("ListBlogCategories")
            .WithSummary("Active blog categories with their number of live posts.");
        blog.MapGet("/tags", (BlogQueries queries, ContentCache cache, CancellationToken ct) =>
                cache.GetOrCreateAsync("tags", queries.TagsAsync, ct))
            .WithName("ListBlogTags")
            .WithSummary("Tags with their number of live posts.");
        return blog;
    }

    private static async Task<Ok<PagedResult<BlogPostSummary>>> ListAsync(
        [AsParameters] BlogListRequest request, BlogQueries queries, ContentCache cache, CancellationToken cancellationToken)
    {
        var (page, size) = (request.Page ?? 1, request.PageSize ?? DefaultPageSize);
        return TypedResults.Ok(await cache.GetOrCreateAsync(
            $"posts:{request.Category}:{request.Tag}:{page}:{size}",
            token => queries.ListAsync(request.Category, request.Tag, page, size, token), cancellationToken));
    }

    private static async Task<Results<Ok<BlogPostView>, ProblemHttpResult>> GetAsync(
        string slug, BlogQueries queries, ContentCache cache, BlogViewCounter views, CancellationToken cancellationToken)
    {
        if (!CatalogValidation.IsSlug(slug))
        {
            return Problems.NotFound("No such post.");
        }

        var post = await cache.GetOrCreateAsync("post:" + slug, async token =>
            await queries.GetBySlugAsync(slug, token) is { } row ? View(row) : null, cancellationToken);
        if (post is null)
        {
            return Problems.NotFound("No such post.");
        }

        views.Record(post.Id);
        return TypedResults.Ok(post);
    }

    private static async Task<Results<Ok<IReadOnlyList<BlogPostSummary>>, ProblemHttpResult>> RelatedAsync(
        string slug, BlogQueries queries, ContentCache cache, CancellationToken cancellationToken) =>
        CatalogValidation.IsSlug(slug)
            ? TypedResults.Ok(await cache.GetOrCreateAsync("related:" + slug, token => queries.RelatedAsync(slug, 4, token), cancellationToken))
            : Problems.NotFound("No such post.");

    private static async Task<Ok<PagedResult<BlogPostSummary>>> SearchAsync(
        [AsParameters] BlogSearchRequest request, BlogQueries queries, ContentCache cache, CancellationToken cancellationToken)
    {
        var (text, page, size) = (request.Q!.Trim(), request.Page ?? 1, request.PageSize ?? DefaultPageSize);
        return TypedResults.Ok(await cache.GetOrCreateAsync(
            $"search:{text.ToLowerInvariant()}:{page}:{size}", token => queries.SearchAsync(text, page, size, token), cancellationToken));
    }

    private static BlogPostView View(BlogPostRow row) => new(
        row.Id, row.Title, row.Slug, row.Excerpt, MarkdownRenderer.ToSafeHtml(row.Content), row.FeaturedImage, row.PublishedAt, row.UpdatedAt,
        row.AuthorName, row.Categories, row.Tags, row.SeoData, row.ViewCount);
}
