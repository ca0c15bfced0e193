using System.Globalization;
using System.Text;
using System.Xml.Linq;
using MestresCafe.Data.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Content;

/// <summary>
/// The blog's RSS 2.0 feed and the site's sitemap.xml (products, catalog and blog categories, posts,
/// courses), with links on the storefront's public address (<see cref="ContentOptions.PublicBaseUrl"/>)
/// under <see cref="StorefrontPaths"/>. Both are cached with the blog.
/// </summary>
public static class BlogFeeds
{
    private const int FeedItems = 20;
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";

    public static IEndpointRouteBuilder MapBlogFeeds(this IEndpointRouteBuilder app, RouteGroupBuilder blog)
    {
        blog.MapGet("/feed.xml", FeedAsync)
            .WithName("BlogFeed")
            .Produces(StatusCodes.Status200OK, contentType: "application/rss+xml")
            .WithSummary("RSS 2.0 feed of the 20 newest live posts.");
        app.MapGet("/sitemap.xml", SitemapAsync)
            .WithName("Sitemap")
            .WithTags("Blog")
            .Produces(StatusCodes.Status200OK, contentType: "application/xml")
            .WithSummary("sitemap.xml of the storefront: products, categories, blog categories, live posts and published courses.");
        return app;
    }

    private static async Task<IResult> FeedAsync(BlogQueries queries, ContentCache cache, IOptions<ContentOptions> options, CancellationToken cancellationToken)
    {
        var site = options.Value;
        var xml = await cache.GetOrCreateAsync("feed", async token =>
        {
            var posts = await queries.ListAsync(null, null, 1, FeedItems, token);
            var channel = new XElement("channel",
                new XElement("title", site.SiteTitle + " | Blog"),
                new XElement("link", Link(site, StorefrontPaths.Blog)),
                new XElement("description", "Guias de preparo, origens e novidades do " + site.SiteTitle),
                new XElement("language", "pt-BR"),
                posts.Items.Select(post => new XElement("item",
                    new XElement("title", post.Title),
                    new XElement("link", Link(site, StorefrontPaths.Post(post.Slug))),
                    new XElement("guid", new XAttribute("isPermaLink", "true"), Link(site, StorefrontPaths.Post(post.Slug))),
                    new XElement("pubDate", post.PublishedAt.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture)),
                    post.Excerpt is null ? null : new XElement("description", post.Excerpt),
                    post.Categories.Select(c => new XElement("category", c)))));
            return Serialize(new XDocument(new XElement("rss", new XAttribute("version", "2.0"), channel)));
        }, cancellationToken);
        return Results.Text(xml, "application/rss+xml; charset=utf-8", Encoding.UTF8);
    }

    private static async Task<IResult> SitemapAsync(BlogQueries queries, ContentCache cache, IOptions<ContentOptions> options, CancellationToken cancellationToken)
    {
        var site = options.Value;
        var xml = await cache.GetOrCreateAsync("sitemap", async token =>
        {
            var pages = await queries.SitemapAsync(token);
            var urls = pages.Select(page => new XElement(Sitemap + "url",
                new XElement(Sitemap + "loc", Link(site, StorefrontPaths.For(page.Kind, page.Slug))),
                new XElement(Sitemap + "lastmod", page.LastModified.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))));
            return Serialize(new XDocument(new XElement(Sitemap + "urlset", new XElement(Sitemap + "url",
                new XElement(Sitemap + "loc", Link(site, "/"))), urls)));
        }, cancellationToken);
        return Results.Text(xml, "application/xml; charset=utf-8", Encoding.UTF8);
    }

    private static string Link(ContentOptions site, string path) => site.PublicBaseUrl.TrimEnd('/') + path;

    private static string Serialize(XDocument document) => new XDeclaration("1.0", "utf-8", null) + Environment.NewLine + document.ToString(SaveOptions.DisableFormatting);
}

/// <summary>Where the storefront shows each kind of page (the feed's and the sitemap's links).</summary>
public static class StorefrontPaths
{
    public const string Blog = "/blog";

    public static string Post(string slug) => "/blog/" + slug;

    public static string For(string kind, string slug) => kind switch
    {
        "product" => "/produtos/" + slug,
        "category" => "/categorias/" + slug,
        "blog_category" => "/blog/categoria/" + slug,
        "post" => Post(slug),
        "course" => "/cursos/" + slug,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No storefront page for this kind."),
    };
}
