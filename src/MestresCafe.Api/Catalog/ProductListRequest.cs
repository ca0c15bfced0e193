using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using MestresCafe.Data.Catalog;

namespace MestresCafe.Api.Catalog;

/// <summary>
/// Query string of the product listing. Its annotations are checked before the handler runs
/// (AddValidation), so <see cref="ToCriteria"/> only maps.
/// </summary>
public sealed class ProductListRequest : IValidatableObject
{
    internal const int MaxBrands = 20;
    internal const int MaxAttributeFilters = 20;

    [Description("Full-text search in Portuguese, accent-insensitive (\"cafe\" finds \"café\").")]
    [StringLength(ProductListCriteria.MaxSearchLength, ErrorMessage = "At most {1} characters.")]
    public string? Q { get; init; }

    [Description("Category slug; its whole subtree is included.")]
    [Slug(ErrorMessage = "Not a category slug.")]
    public string? Category { get; init; }

    [Description("Brand slug; repeat for several brands.")]
    [BrandFilters]
    public string[]? Brand { get; init; }

    public decimal? MinPrice { get; init; }

    public decimal? MaxPrice { get; init; }

    [Description("Attribute filter \"Name:Value\", e.g. \"Processo:Natural\"; repeat it. Values of one attribute are alternatives, different attributes must all match.")]
    [AttributeFilters]
    public string[]? Attr { get; init; }

    public bool? Featured { get; init; }

    [Description("Only products with stock available.")]
    public bool? InStock { get; init; }

    [Description("relevance (default when searching), name (default otherwise), price_asc, price_desc, newest, rating.")]
    [ProductSortName]
    public string? Sort { get; init; }

    [Description("1-based page number, at most 1000.")]
    [Range(1, ProductListCriteria.MaxPage, ErrorMessage = "From {1} to {2}.")]
    public int? Page { get; init; }

    [Description("Items per page, 1 to 100 (default 24).")]
    [Range(1, ProductListCriteria.MaxPageSize, ErrorMessage = "From {1} to {2}.")]
    public int? PageSize { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinPrice is < 0 || MaxPrice is < 0)
        {
            yield return new ValidationResult("Prices cannot be negative.", ["price"]);
        }
        else if (MinPrice > MaxPrice)
        {
            yield return new ValidationResult("minPrice is above maxPrice.", ["minPrice"]);
        }
    }

    public ProductListCriteria ToCriteria()
    {
        var attributes = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var filter in Attr ?? [])
        {
            var (name, value) = AttributeFiltersAttribute.Split(filter);
            (attributes.TryGetValue(name, out var values) ? values : attributes[name] = []).Add(value);
        }

        return new ProductListCriteria(
            string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(),
            Category,
            BrandFiltersAttribute.Distinct(Brand),
            MinPrice,
            MaxPrice,
            attributes.ToDictionary(a => a.Key.ToLowerInvariant(), a => (IReadOnlyList<string>)a.Value.Select(v => v.ToLowerInvariant()).Distinct().ToList()),
            Featured,
            InStock == true,
            ProductSortNameAttribute.Parse(Sort, searching: !string.IsNullOrWhiteSpace(Q)) ?? ProductSort.Name,
            Page ?? 1,
            PageSize ?? 24);
    }
}
