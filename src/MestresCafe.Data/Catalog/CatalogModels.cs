using System.Text.Json;

namespace MestresCafe.Data.Catalog;

public sealed record CategoryRef(long Id, string Slug, string Name);

public sealed record BrandRef(long Id, string Slug, string Name);

public sealed record ImageView(long Id, string Url, string? AltText, bool IsPrimary, int SortOrder);

public sealed record RatingSummary(decimal Average, int Count);

/// <summary>A product as listings show it. <see cref="Price"/> is the "a partir de" price.</summary>
public sealed record ProductSummary(
    long Id,
    string Slug,
    string Name,
    string? ShortDescription,
    decimal Price,
    decimal? ComparePrice,
    bool IsFeatured,
    bool InStock,
    CategoryRef? Category,
    BrandRef? Brand,
    ImageView? Image,
    RatingSummary Rating,
    DateTimeOffset CreatedAt,
    double? Relevance);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, long TotalCount)
{
    public int TotalPages => PageSize == 0 ? 0 : (int)((TotalCount + PageSize - 1) / PageSize);
}

public sealed record VariantView(
    long Id, string Sku, string Name, decimal Price, decimal? ComparePrice, JsonElement Options, decimal? Weight, bool InStock);

public sealed record AttributeView(long AttributeId, string Name, string Type, string Value);

public sealed record ReviewView(long Id, int Rating, string? Title, string? Content, string Author, DateTimeOffset CreatedAt);

public sealed record RatingBreakdown(decimal Average, int Count, IReadOnlyDictionary<int, int> Distribution);

public sealed record ProductDetail(
    long Id,
    string Slug,
    string Name,
    string Sku,
    string? ShortDescription,
    string? Description,
    decimal Price,
    decimal? ComparePrice,
    bool IsFeatured,
    bool IsDigital,
    bool InStock,
    decimal? Weight,
    JsonElement Dimensions,
    JsonElement Details,
    JsonElement Seo,
    CategoryRef? Category,
    BrandRef? Brand,
    IReadOnlyList<ImageView> Images,
    IReadOnlyList<VariantView> Variants,
    IReadOnlyList<AttributeView> Attributes,
    RatingBreakdown Rating,
    IReadOnlyList<ReviewView> Reviews);

public sealed record CategoryNode(
    long Id, string Slug, string Name, string? Description, string? ImageUrl, int SortOrder, int ProductCount, IReadOnlyList<CategoryNode> Children);

public sealed record BrandView(long Id, string Slug, string Name, string? Description, string? LogoUrl, int ProductCount);
