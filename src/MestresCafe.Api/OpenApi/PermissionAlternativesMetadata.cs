using Microsoft.AspNetCore.Builder;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// Documents that an operation needs one of several permissions, which its handler checks because
/// the one that applies depends on the request (an upload's purpose). The document lists one
/// security requirement per permission: any of them is enough.
/// </summary>
public sealed record PermissionAlternativesMetadata(IReadOnlyList<string> Permissions);

public static class PermissionAlternativesExtensions
{
    public static TBuilder WithPermissionAlternatives<TBuilder>(this TBuilder builder, IReadOnlyList<string> permissions)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PermissionAlternativesMetadata(permissions));
}
