using System.Text.Json;

namespace MestresCafe.Api.Catalog.Admin;

/// <summary>Back-office views of catalog rows, read from the row images the stores return.</summary>
public sealed record AdminProduct(
    long Id, string Name, string Slug, string Sku, string? Description, string? ShortDescription,
    decimal Price, decimal? ComparePrice, decimal? CostPrice, string? Barcode,
    bool IsActive, bool IsFeatured, bool RequiresShipping, bool IsDigital, decimal? Weight, JsonElement Dimensions,
    long? CategoryId, long? BrandId, JsonElement Attributes, JsonElement SeoData, long? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminVariant(
    long Id, long ProductId, string Name, string Sku, string? Barcode, decimal Price, decimal? ComparePrice, decimal? CostPrice,
    JsonElement Options, bool IsActive, decimal? Weight, int SortOrder, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminImage(long Id, long ProductId, string ImageUrl, string? AltText, int SortOrder, bool IsPrimary, DateTimeOffset CreatedAt);

public sealed record AdminCategory(
    long Id, string Name, string Slug, string? Description, string? ImageUrl, long? ParentId, int SortOrder, bool IsActive,
    JsonElement SeoData, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminBrand(
    long Id, string Name, string Slug, string? Description, string? LogoUrl, bool IsActive, JsonElement SeoData, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminAttribute(
    long Id, string Name, string Type, JsonElement Options, bool IsRequired, bool IsFilterable, int SortOrder, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminAttributeValue(long Id, long ProductId, long AttributeId, string Value, DateTimeOffset CreatedAt);

public sealed record AdminReview(long Id, long ProductId, long UserId, int Rating, string? Title, string? Content, bool IsApproved, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
