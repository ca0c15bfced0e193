namespace MestresCafe.Data.Catalog;

public enum ProductSort
{
    Relevance,
    Name,
    PriceAsc,
    PriceDesc,
    Newest,
    Rating,
}

/// <summary>
/// A validated product listing request. Attribute filters are grouped by attribute name: values
/// of one attribute are alternatives (OR), different attributes must all match (AND).
/// </summary>
public sealed record ProductListCriteria(
    string? Search,
    string? CategorySlug,
    IReadOnlyList<string> BrandSlugs,
    decimal? MinPrice,
    decimal? MaxPrice,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes,
    bool? Featured,
    bool InStockOnly,
    ProductSort Sort,
    int Page,
    int PageSize)
{
    public const int MaxPageSize = 100;
    public const int MaxPage = 1000;
    public const int MaxSearchLength = 200;

    /// <summary>A stable text form of the criteria, used as the cache key of the result.</summary>
    public string CacheKey() => string.Join('|',
        Search?.Trim().ToLowerInvariant(),
        CategorySlug,
        string.Join(',', BrandSlugs.Order(StringComparer.Ordinal)),
        MinPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        MaxPrice?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string.Join(';', Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => a.Key + "=" + string.Join(',', a.Value.Order(StringComparer.Ordinal)))),
        Featured,
        InStockOnly,
        Sort,
        Page,
        PageSize);
}
