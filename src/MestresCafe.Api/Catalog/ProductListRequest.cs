using System.ComponentModel;
using MestresCafe.Data.Catalog;

namespace MestresCafe.Api.Catalog;

/// <summary>Query string of the product listing, validated into <see cref="ProductListCriteria"/>.</summary>
public sealed class ProductListRequest
{
    private const int MaxBrands = 20;
    private const int MaxAttributeFilters = 20;

    [Description("Full-text search in Portuguese, accent-insensitive (\"cafe\" finds \"café\").")]
    public string? Q { get; init; }

    [Description("Category slug; its whole subtree is included.")]
    public string? Category { get; init; }

    [Description("Brand slug; repeat for several brands.")]
    public string[]? Brand { get; init; }

    public decimal? MinPrice { get; init; }

    public decimal? MaxPrice { get; init; }

    [Description("Attribute filter \"Name:Value\", e.g. \"Processo:Natural\"; repeat it. Values of one attribute are alternatives, different attributes must all match.")]
    public string[]? Attr { get; init; }

    public bool? Featured { get; init; }

    [Description("Only products with stock available.")]
    public bool? InStock { get; init; }

    [Description("relevance (default when searching), name (default otherwise), price_asc, price_desc, newest, rating.")]
    public string? Sort { get; init; }

    [Description("1-based page number, at most 1000.")]
    public int? Page { get; init; }

    [Description("Items per page, 1 to 100 (default 24).")]
    public int? PageSize { get; init; }

    public bool TryValidate(out ProductListCriteria criteria, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (Q is { Length: > ProductListCriteria.MaxSearchLength })
        {
            errors["q"] = [$"At most {ProductListCriteria.MaxSearchLength} characters."];
        }

        if (Category is not null && !CatalogValidation.IsSlug(Category))
        {
            errors["category"] = ["Not a category slug."];
        }

        var brands = (Brand ?? []).Where(b => !string.IsNullOrWhiteSpace(b)).Distinct().ToList();
        if (brands.Count > MaxBrands || brands.Any(b => !CatalogValidation.IsSlug(b)))
        {
            errors["brand"] = [$"Up to {MaxBrands} brand slugs."];
        }

        if (MinPrice is < 0 || MaxPrice is < 0)
        {
            errors["price"] = ["Prices cannot be negative."];
        }
        else if (MinPrice > MaxPrice)
        {
            errors["minPrice"] = ["minPrice is above maxPrice."];
        }

        var attributes = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var filter in Attr ?? [])
        {
            var separator = filter.IndexOf(':', StringComparison.Ordinal);
            var name = separator > 0 ? filter[..separator].Trim() : "";
            var value = separator > 0 ? filter[(separator + 1)..].Trim() : "";
            if (name.Length is 0 or > 100 || value.Length is 0 or > 500)
            {
                errors["attr"] = ["Each filter is \"Name:Value\" (name up to 100, value up to 500 characters)."];
                break;
            }

            (attributes.TryGetValue(name, out var values) ? values : attributes[name] = []).Add(value);
        }

        if (Attr is { Length: > MaxAttributeFilters })
        {
            errors["attr"] = [$"Up to {MaxAttributeFilters} attribute filters."];
        }

        ProductSort? sort = Sort?.ToLowerInvariant() switch
        {
            null or "" => string.IsNullOrWhiteSpace(Q) ? ProductSort.Name : ProductSort.Relevance,
            "relevance" => ProductSort.Relevance,
            "name" => ProductSort.Name,
            "price_asc" or "price" => ProductSort.PriceAsc,
            "price_desc" => ProductSort.PriceDesc,
            "newest" => ProductSort.Newest,
            "rating" => ProductSort.Rating,
            _ => null,
        };
        if (sort is null)
        {
            errors["sort"] = ["One of relevance, name, price_asc, price_desc, newest, rating."];
        }

        if (Page is < 1 or > ProductListCriteria.MaxPage)
        {
            errors["page"] = [$"From 1 to {ProductListCriteria.MaxPage}."];
        }

        if (PageSize is < 1 or > ProductListCriteria.MaxPageSize)
        {
            errors["pageSize"] = [$"From 1 to {ProductListCriteria.MaxPageSize}."];
        }

        criteria = new ProductListCriteria(
            string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(),
            Category,
            brands,
            MinPrice,
            MaxPrice,
            attributes.ToDictionary(a => a.Key.ToLowerInvariant(), a => (IReadOnlyList<string>)a.Value.Select(v => v.ToLowerInvariant()).Distinct().ToList()),
            Featured,
            InStock == true,
            sort ?? ProductSort.Name,
            Page ?? 1,
            PageSize ?? 24);
        return errors.Count == 0;
    }
}
