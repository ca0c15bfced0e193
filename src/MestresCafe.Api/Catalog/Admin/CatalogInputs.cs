using System.Text.Json;

namespace MestresCafe.Api.Catalog.Admin;

/// <summary>
/// Back-office product fields. POST requires name, sku and price (slug defaults to the name's);
/// PATCH changes only the fields present. Ids, author and timestamps are not fields.
/// </summary>
public sealed record ProductInput(
    string? Name, string? Slug, string? Sku, string? Description, string? ShortDescription,
    decimal? Price, decimal? ComparePrice, decimal? CostPrice, string? Barcode,
    bool? IsActive, bool? IsFeatured, bool? RequiresShipping, bool? IsDigital,
    decimal? Weight, JsonElement? Dimensions, long? CategoryId, long? BrandId, JsonElement? Details, JsonElement? Seo)
{
    internal ColumnBuilder ToColumns(bool creating)
    {
        var columns = new ColumnBuilder(creating)
            .Text("name", "name", Name, 200, required: true)
            .Text("slug", "slug", Slug ?? (creating && !string.IsNullOrWhiteSpace(Name) ? CatalogValidation.Slugify(Name) : null), 220, required: true, CatalogValidation.IsSlug, "Lower-case letters, digits and single hyphens.")
            .Text("sku", "sku", Sku, 64, required: true, CatalogValidation.IsSku, "Upper-case letters, digits and hyphens.")
            .Text("description", "description", Description, 20_000)
            .Text("shortDescription", "short_description", ShortDescription, 500)
            .Money("price", "price", Price, required: true)
            .Money("comparePrice", "compare_price", ComparePrice)
            .Money("costPrice", "cost_price", CostPrice)
            .Text("barcode", "barcode", Barcode, 14, rule: CatalogValidation.IsBarcode, ruleMessage: "8 to 14 digits.")
            .Flag("is_active", IsActive)
            .Flag("is_featured", IsFeatured)
            .Flag("requires_shipping", IsDigital == true ? RequiresShipping ?? false : RequiresShipping)
            .Flag("is_digital", IsDigital)
            .Number("weight", "weight", Weight, 1000m)
            .Json("dimensions", "dimensions", Dimensions, JsonValueKind.Object)
            .Reference("categoryId", "category_id", CategoryId)
            .Reference("brandId", "brand_id", BrandId)
            .Json("details", "attributes", Details, JsonValueKind.Object)
            .Json("seo", "seo_data", Seo, JsonValueKind.Object);
        if (IsDigital == true && RequiresShipping == true)
        {
            columns.Error("requiresShipping", "A digital product is not shipped.");
        }

        return columns;
    }
}

public sealed record VariantInput(
    string? Name, string? Sku, string? Barcode, decimal? Price, decimal? ComparePrice, decimal? CostPrice,
    JsonElement? Options, decimal? Weight, int? SortOrder, bool? IsActive)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder(creating)
        .Text("name", "name", Name, 200, required: true)
        .Text("sku", "sku", Sku, 64, required: true, CatalogValidation.IsSku, "Upper-case letters, digits and hyphens.")
        .Text("barcode", "barcode", Barcode, 14, rule: CatalogValidation.IsBarcode, ruleMessage: "8 to 14 digits.")
        .Money("price", "price", Price, required: true)
        .Money("comparePrice", "compare_price", ComparePrice)
        .Money("costPrice", "cost_price", CostPrice)
        .Json("options", "options", Options, JsonValueKind.Object, 4000)
        .Number("weight", "weight", Weight, 1000m)
        .Integer("sortOrder", "sort_order", SortOrder)
        .Flag("is_active", IsActive);
}

public sealed record ImageInput(string? ImageUrl, string? AltText, int? SortOrder, bool? IsPrimary)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder(creating)
        .Text("imageUrl", "image_url", ImageUrl, 500, required: true, CatalogValidation.IsImageUrl, "An absolute http(s) URL or a path starting with /.")
        .Text("altText", "alt_text", AltText, 255)
        .Integer("sortOrder", "sort_order", SortOrder)
        .Flag("is_primary", IsPrimary);
}

public sealed record CategoryInput(
    string? Name, string? Slug, string? Description, string? ImageUrl, long? ParentId, int? SortOrder, bool? IsActive, JsonElement? Seo)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder(creating)
        .Text("name", "name", Name, 120, required: true)
        .Text("slug", "slug", Slug ?? (creating && !string.IsNullOrWhiteSpace(Name) ? CatalogValidation.Slugify(Name) : null), 140, required: true, CatalogValidation.IsSlug, "Lower-case letters, digits and single hyphens.")
        .Text("description", "description", Description, 5000)
        .Text("imageUrl", "image_url", ImageUrl, 500, rule: CatalogValidation.IsImageUrl, ruleMessage: "An absolute http(s) URL or a path starting with /.")
        .Reference("parentId", "parent_id", ParentId)
        .Integer("sortOrder", "sort_order", SortOrder)
        .Flag("is_active", IsActive)
        .Json("seo", "seo_data", Seo, JsonValueKind.Object);
}

public sealed record BrandInput(string? Name, string? Slug, string? Description, string? LogoUrl, bool? IsActive, JsonElement? Seo)
{
    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder(creating)
        .Text("name", "name", Name, 120, required: true)
        .Text("slug", "slug", Slug ?? (creating && !string.IsNullOrWhiteSpace(Name) ? CatalogValidation.Slugify(Name) : null), 140, required: true, CatalogValidation.IsSlug, "Lower-case letters, digits and single hyphens.")
        .Text("description", "description", Description, 5000)
        .Text("logoUrl", "logo_url", LogoUrl, 500, rule: CatalogValidation.IsImageUrl, ruleMessage: "An absolute http(s) URL or a path starting with /.")
        .Flag("is_active", IsActive)
        .Json("seo", "seo_data", Seo, JsonValueKind.Object);
}

public sealed record AttributeInput(string? Name, string? Type, JsonElement? Options, bool? IsRequired, bool? IsFilterable, int? SortOrder)
{
    private static readonly string[] Types = ["text", "number", "boolean", "select", "multiselect"];

    internal ColumnBuilder ToColumns(bool creating) => new ColumnBuilder(creating)
        .Text("name", "name", Name, 100, required: true)
        .Text("type", "type", Type, 20, rule: Types.Contains, ruleMessage: "One of " + string.Join(", ", Types) + ".")
        .Json("options", "options", Options, JsonValueKind.Array, 10_000)
        .Flag("is_required", IsRequired)
        .Flag("is_filterable", IsFilterable)
        .Integer("sortOrder", "sort_order", SortOrder);
}

public sealed record AttributeValueInput(string? Value);
