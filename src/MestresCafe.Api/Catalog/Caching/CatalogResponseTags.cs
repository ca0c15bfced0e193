using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Catalog.Caching;

/// <summary>
/// Tags a cached product list or product detail response like its data
/// (<see cref="CatalogCache.ProductListsTag"/>, <see cref="CatalogCache.ProductTag"/>), so that a
/// stock change across zero drops the response as well and not the whole catalog.
/// </summary>
internal sealed class CatalogResponseTags : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        switch (http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName)
        {
            case "ListProducts":
                context.Tags.Add(CatalogCache.ProductListsTag);
                break;
            case "GetProduct" when http.Request.RouteValues["slug"] is string slug:
                context.Tags.Add(CatalogCache.ProductTag(slug));
                break;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
