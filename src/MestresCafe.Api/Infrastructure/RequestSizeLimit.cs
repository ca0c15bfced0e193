using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Infrastructure;

/// <summary>
/// Request body limits (413 with problem details beyond). Every API endpoint gets
/// <see cref="DefaultMaxBytes"/> from the API's root group, far below the server's 30 MB default:
/// the largest body a client sends in normal use (a checkout, a coupon with its conditions) is a
/// few kilobytes. A feature that needs more or less says so on its group or endpoint (the innermost
/// limit wins).
/// </summary>
public static class RequestSizeLimit
{
    public const long DefaultMaxBytes = 64 * 1024;

    /// <summary>The same default for anything outside the API's groups (the web server's own limit).</summary>
    public static IServiceCollection AddDefaultRequestSizeLimit(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = DefaultMaxBytes);

    /// <summary>Caps (or raises) the request body of the endpoints.</summary>
    public static TBuilder WithRequestSizeLimit<TBuilder>(this TBuilder builder, long maxBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Limit(maxBytes));

    private sealed class Limit(long maxBytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => maxBytes;
    }
}
