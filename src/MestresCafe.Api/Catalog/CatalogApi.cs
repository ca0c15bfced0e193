using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog.Caching;
using MestresCafe.Data.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Catalog;

/// <summary>
/// The public storefront catalog: anonymous, cached (data 1 h, responses 5 min); a product's stock
/// crossing zero drops the product lists and its detail at once (see <see cref="CatalogCache"/>).
/// </summary>
public static class CatalogApi
{
    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/catalog").WithTags("Catalog");
        if (((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<CatalogOptions>>().Value.Caching)
        {
            group.CacheOutput(CatalogCache.ResponsePolicy);
        }

        group.MapGet("/products", ListProductsAsync)
            .WithName("ListProducts")
            .WithSummary("Products with filters (category subtree, brand, price, attributes, featured, in stock), search, sorting and pages.");
        group.MapGet("/products/{slug}", GetProductAsync)
            .WithName("GetProduct")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One product by slug: variants, images, attributes, rating summary and approved reviews.");
        group.MapGet("/categories", GetCategoriesAsync)
            .WithName("GetCategoryTree")
            .WithSummary("The category tree with product counts per subtree.");
        group.MapGet("/brands", GetBrandsAsync)
            .WithName("ListBrands")
            .WithSummary("Active brands with their product counts.");
        return group;
    }

    private static async Task<Results<Ok<PagedResult<ProductSummary>>, ValidationProblem>> ListProductsAsync(
        [AsParameters] ProductListRequest request, ProductListQuery query, CatalogCache cache, CancellationToken cancellationToken)
    {
        var criteria = request.ToCriteria();
        var page = await cache.GetOrCreateAsync(
            "products:" + criteria.CacheKey(), token => query.ExecuteAsync(criteria, token), cancellationToken, CatalogCache.ProductListsTag);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<ProductDetail>, ProblemHttpResult>> GetProductAsync(
        string slug, ProductDetailQuery query, CatalogCache cache, CancellationToken cancellationToken)
    {
        if (!CatalogValidation.IsSlug(slug))
        {
            return Problems.NotFound("No such product.");
        }

        var product = await cache.GetOrCreateAsync(
            "product:" + slug, token => query.ExecuteAsync(slug, token), cancellationToken, CatalogCache.ProductTag(slug));
        return product is null ? Problems.NotFound("No such product.") : TypedResults.Ok(product);
    }

    private static async Task<Ok<IReadOnlyList<CategoryNode>>> GetCategoriesAsync(CategoryTreeQuery query, CatalogCache cache, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cache.GetOrCreateAsync("categories", query.ExecuteAsync, cancellationToken));

    private static async Task<Ok<IReadOnlyList<BrandView>>> GetBrandsAsync(BrandListQuery query, CatalogCache cache, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cache.GetOrCreateAsync("brands", query.ExecuteAsync, cancellationToken));
}
