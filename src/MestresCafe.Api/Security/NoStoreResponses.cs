using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Security;

public static class NoStoreResponses
{
    /// <summary>
    /// <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c> (for HTTP/1.0 caches) on every
    /// response of these endpoints: they carry bearer tokens, which no browser, proxy or CDN may keep.
    /// </summary>
    public static TBuilder WithNoStore<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            return await next(context);
        });
}
