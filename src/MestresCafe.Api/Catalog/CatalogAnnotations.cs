using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Data.Catalog;

namespace MestresCafe.Api.Catalog;

// The catalog's input rules as data annotations, for the request types of the catalog endpoints.

public sealed class SlugAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not string slug || CatalogValidation.IsSlug(slug);
}

/// <summary>Brand slugs of the listing; blanks and repeats are dropped.</summary>
public sealed class BrandFiltersAttribute : RuleAttribute<string[]>
{
    public static List<string> Distinct(string[]? brands) => (brands ?? []).Where(b => !string.IsNullOrWhiteSpace(b)).Distinct().ToList();

    protected override string? Check(string[] value)
    {
        var brands = Distinct(value);
        return brands.Count > ProductListRequest.MaxBrands || brands.Any(b => !CatalogValidation.IsSlug(b))
            ? $"Up to {ProductListRequest.MaxBrands} brand slugs."
            : null;
    }
}

/// <summary>"Name:Value" attribute filters of the listing.</summary>
public sealed class AttributeFiltersAttribute : RuleAttribute<string[]>
{
    public static (string Name, string Value) Split(string filter)
    {
        var separator = filter.IndexOf(':', StringComparison.Ordinal);
        return separator > 0 ? (filter[..separator].Trim(), filter[(separator + 1)..].Trim()) : ("", "");
    }

    protected override string? Check(string[] value)
    {
        if (value.Length > ProductListRequest.MaxAttributeFilters)
        {
            return $"Up to {ProductListRequest.MaxAttributeFilters} attribute filters.";
        }

        return value.Select(Split).Any(f => f.Name.Length is 0 or > 100 || f.Value.Length is 0 or > 500)
            ? "Each filter is \"Name:Value\" (name up to 100, value up to 500 characters)."
            : null;
    }
}

public sealed class ProductSortNameAttribute : RuleAttribute<string>
{
    /// <summary>Null for a name that is not a sort; no name sorts by relevance when searching, by name otherwise.</summary>
    public static ProductSort? Parse(string? sort, bool searching) => sort?.ToLowerInvariant() switch
    {
        null or "" => searching ? ProductSort.Relevance : ProductSort.Name,
        "relevance" => ProductSort.Relevance,
        "name" => ProductSort.Name,
        "price_asc" or "price" => ProductSort.PriceAsc,
        "price_desc" => ProductSort.PriceDesc,
        "newest" => ProductSort.Newest,
        "rating" => ProductSort.Rating,
        _ => null,
    };

    protected override string? Check(string value) =>
        Parse(value, searching: false) is null ? "One of relevance, name, price_asc, price_desc, newest, rating." : null;
}
