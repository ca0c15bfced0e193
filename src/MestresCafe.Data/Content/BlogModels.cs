using System.Text.Json;

namespace MestresCafe.Data.Content;

/// <summary>A live post as lists, search and the feed show it.</summary>
public sealed record BlogPostSummary
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Slug { get; init; } = "";
    public string? Excerpt { get; init; }
    public string? FeaturedImage { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public string? AuthorName { get; init; }
    public string[] Categories { get; init; } = [];
    public string[] Tags { get; init; } = [];

    /// <summary>Search relevance (only search fills it).</summary>
    public double? Rank { get; init; }
}

/// <summary>A live post with its Markdown body, as stored.</summary>
public sealed record BlogPostRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Slug { get; init; } = "";
    public string? Excerpt { get; init; }
    public string Content { get; init; } = "";
    public string? FeaturedImage { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public JsonElement SeoData { get; init; }
    public int ViewCount { get; init; }
    public string? AuthorName { get; init; }

    /// <summary>[{slug, name}] of its categories and of its tags.</summary>
    public JsonElement Categories { get; init; }
    public JsonElement Tags { get; init; }
}

/// <summary>A blog category or tag with the number of live posts in it.</summary>
public sealed record BlogTermView
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
    public string? Description { get; init; }
    public int PostCount { get; init; }
}

/// <summary>One page of the public site for the sitemap.</summary>
public sealed record SitemapEntry
{
    public string Kind { get; init; } = "";
    public string Slug { get; init; } = "";
    public DateTimeOffset LastModified { get; init; }
}

/// <summary>A post as the back office sees it, in any state.</summary>
public sealed record BlogPostAdminView
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Slug { get; init; } = "";
    public string? Excerpt { get; init; }
    public string Content { get; init; } = "";
    public string? FeaturedImage { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset? PublishedAt { get; init; }
    public JsonElement SeoData { get; init; }
    public int ViewCount { get; init; }
    public long? AuthorId { get; init; }
    public long[] CategoryIds { get; init; } = [];
    public long[] TagIds { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The fields an editor writes on a post.</summary>
public sealed record BlogPostFields(
    string Title, string Slug, string? Excerpt, string Content, string? FeaturedImage, string SeoJson,
    IReadOnlyList<long> CategoryIds, IReadOnlyList<long> TagIds);
