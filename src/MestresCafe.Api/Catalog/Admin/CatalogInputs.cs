using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Infrastructure.Validation;
using Microsoft.Extensions.Validation;

namespace MestresCafe.Api.Catalog.Admin;

// The generic back-office endpoints (AdminCrud) take these bodies as a type parameter, which the
// validation generator cannot see through; [ValidatableType] has it generate their checks, and
// the endpoint filter finds them by the handler's concrete parameter type.
#pragma warning disable ASP0029 // ValidatableType is marked experimental in .NET 10.

/// <summary>
/// Back-office product fields. POST requires name, sku and price (slug defaults to the name's);
/// PATCH changes only the fields present. Ids, author and timestamps are not fields.
/// </summary>
[ValidatableType]
public sealed record ProductInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(200)] string? Name,
    [NotBlank, Slug(220)] string? Slug,
    [RequiredOnCreate, NotBlank, Sku] string? Sku,
    [TrimmedLength(20_000)] string? Description,
    [TrimmedLength(500)] string? ShortDescription,
    [RequiredOnCreate, Money] decimal? Price,
    [Money] decimal? ComparePrice,
    [Money] decimal? CostPrice,
    [Barcode] string? Barcode,
    bool? IsActive, bool? IsFeatured, bool? RequiresShipping, bool? IsDigital,
    [Range(typeof(decimal), "0", "1000", ErrorMessage = CatalogInputs.RangeMessage, ParseLimitsInInvariantCulture = true)] decimal? Weight,
    [JsonShape(JsonValueKind.Object)] JsonElement? Dimensions,
    [RowId] long? CategoryId,
    [RowId] long? BrandId,
    [JsonShape(JsonValueKind.Object)] JsonElement? Details,
    [JsonShape(JsonValueKind.Object)] JsonElement? Seo) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsDigital == true && RequiresShipping == true)
        {
            yield return new("A digital product is not shipped.", [nameof(RequiresShipping)]);
        }
    }

    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder()
        .Text("name", Name)
        .Text("slug", CatalogValidation.SlugOrFromName(Slug, Name, creating))
        .Text("sku", Sku)
        .Text("description", Description)
        .Text("short_description", ShortDescription)
        .Numeric("price", Price)
        .Numeric("compare_price", ComparePrice)
        .Numeric("cost_price", CostPrice)
        .Text("barcode", Barcode)
        .Flag("is_active", IsActive)
        .Flag("is_featured", IsFeatured)
        .Flag("requires_shipping", IsDigital == true ? RequiresShipping ?? false : RequiresShipping)
        .Flag("is_digital", IsDigital)
        .Numeric("weight", Weight)
        .Json("dimensions", Dimensions)
        .Reference("category_id", CategoryId)
        .Reference("brand_id", BrandId)
        .Json("attributes", Details)
        .Json("seo_data", Seo);
}

[ValidatableType]
public sealed record VariantInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(200)] string? Name,
    [RequiredOnCreate, NotBlank, Sku] string? Sku,
    [Barcode] string? Barcode,
    [RequiredOnCreate, Money] decimal? Price,
    [Money] decimal? ComparePrice,
    [Money] decimal? CostPrice,
    [JsonShape(JsonValueKind.Object, 4000)] JsonElement? Options,
    [Range(typeof(decimal), "0", "1000", ErrorMessage = CatalogInputs.RangeMessage, ParseLimitsInInvariantCulture = true)] decimal? Weight,
    [Range(-1_000_000, 1_000_000, ErrorMessage = CatalogInputs.RangeMessage)] int? SortOrder,
    bool? IsActive)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder()
        .Text("name", Name)
        .Text("sku", Sku)
        .Text("barcode", Barcode)
        .Numeric("price", Price)
        .Numeric("compare_price", ComparePrice)
        .Numeric("cost_price", CostPrice)
        .Json("options", Options)
        .Numeric("weight", Weight)
        .Integer("sort_order", SortOrder)
        .Flag("is_active", IsActive);
}

[ValidatableType]
public sealed record ImageInput(
    [RequiredOnCreate, NotBlank, ImageUrl] string? ImageUrl,
    [TrimmedLength(255)] string? AltText,
    [Range(-1_000_000, 1_000_000, ErrorMessage = CatalogInputs.RangeMessage)] int? SortOrder,
    bool? IsPrimary)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder()
        .Text("image_url", ImageUrl)
        .Text("alt_text", AltText)
        .Integer("sort_order", SortOrder)
        .Flag("is_primary", IsPrimary);
}

[ValidatableType]
public sealed record CategoryInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(120)] string? Name,
    [NotBlank, Slug(140)] string? Slug,
    [TrimmedLength(5000)] string? Description,
    [ImageUrl] string? ImageUrl,
    [RowId] long? ParentId,
    [Range(-1_000_000, 1_000_000, ErrorMessage = CatalogInputs.RangeMessage)] int? SortOrder,
    bool? IsActive,
    [JsonShape(JsonValueKind.Object)] JsonElement? Seo)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder()
        .Text("name", Name)
        .Text("slug", CatalogValidation.SlugOrFromName(Slug, Name, creating))
        .Text("description", Description)
        .Text("image_url", ImageUrl)
        .Reference("parent_id", ParentId)
        .Integer("sort_order", SortOrder)
        .Flag("is_active", IsActive)
        .Json("seo_data", Seo);
}

[ValidatableType]
public sealed record BrandInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(120)] string? Name,
    [NotBlank, Slug(140)] string? Slug,
    [TrimmedLength(5000)] string? Description,
    [ImageUrl] string? LogoUrl,
    bool? IsActive,
    [JsonShape(JsonValueKind.Object)] JsonElement? Seo)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder()
        .Text("name", Name)
        .Text("slug", CatalogValidation.SlugOrFromName(Slug, Name, creating))
        .Text("description", Description)
        .Text("logo_url", LogoUrl)
        .Flag("is_active", IsActive)
        .Json("seo_data", Seo);
}

[ValidatableType]
public sealed record AttributeInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(100)] string? Name,
    [OneOf("text", "number", "boolean", "select", "multiselect", Optional = true, ErrorMessage = "One of text, number, boolean, select, multiselect.")] string? Type,
    [JsonShape(JsonValueKind.Array, 10_000)] JsonElement? Options,
    bool? IsRequired,
    bool? IsFilterable,
    [Range(-1_000_000, 1_000_000, ErrorMessage = CatalogInputs.RangeMessage)] int? SortOrder)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder()
        .Text("name", Name)
        .Text("type", Type)
        .Json("options", Options)
        .Flag("is_required", IsRequired)
        .Flag("is_filterable", IsFilterable)
        .Integer("sort_order", SortOrder);
}

#pragma warning restore ASP0029

public sealed record AttributeValueInput([Required(ErrorMessage = "Required."), TrimmedLength(500)] string? Value);

internal static class CatalogInputs
{
    /// <summary>[Range]'s message as the back office words it ({1} and {2} are the bounds).</summary>
    public const string RangeMessage = "From {1} to {2}.";
}
