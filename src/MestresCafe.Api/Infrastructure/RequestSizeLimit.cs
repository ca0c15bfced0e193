using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace MestresCafe.Api.Infrastructure;

public static class RequestSizeLimit
{
    /// <summary>Caps the request body of the endpoints (413 beyond), far below the server's 30 MB default.</summary>
    public static TBuilder WithRequestSizeLimit<TBuilder>(this TBuilder builder, long maxBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Limit(maxBytes));

    private sealed class Limit(long maxBytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => maxBytes;
    }
}
