using System.Reflection;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;

namespace MestresCafe.Api.OpenApi;

/// <summary>What an endpoint's own metadata says about it, as the transformers need it.</summary>
internal sealed class EndpointFacts(ApiDescription description)
{
    private IList<object> Metadata => description.ActionDescriptor.EndpointMetadata;

    public bool IsAnonymous => Metadata.OfType<IAllowAnonymous>().Any() || !Metadata.OfType<IAuthorizeData>().Any();

    /// <summary>The permissions of <c>RequirePermission</c> (every one is needed), in order.</summary>
    public IReadOnlyList<string> Permissions => Metadata.OfType<IAuthorizeData>()
        .Select(data => data.Policy)
        .Where(policy => policy is not null && policy.StartsWith(PermissionPolicies.Prefix, StringComparison.Ordinal))
        .Select(policy => policy![PermissionPolicies.Prefix.Length..])
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>Permissions of which any one is enough (<see cref="PermissionAlternativesMetadata"/>); empty for most.</summary>
    public IReadOnlyList<string> PermissionAlternatives => Metadata.OfType<PermissionAlternativesMetadata>().LastOrDefault()?.Permissions ?? [];

    public SignedWebhookMetadata? SignedWebhook => Metadata.OfType<SignedWebhookMetadata>().LastOrDefault();

    /// <summary>
    /// A rate limit applies: a middleware policy on the endpoint, or the handler consults the
    /// distributed limits itself (the account endpoints, whose key is in the body).
    /// </summary>
    public bool IsRateLimited =>
        Metadata.OfType<EnableRateLimitingAttribute>().Any()
        || Handler?.GetParameters().Any(parameter => parameter.ParameterType == typeof(RateLimitGate)) == true;

    public bool HasBody => description.ParameterDescriptions.Any(parameter => parameter.Source == BindingSource.Body || parameter.Source == BindingSource.Form);

    /// <summary>Input that binding or validation can refuse with a 400 (a path value that does not fit its route is a 404).</summary>
    public bool HasInput => description.ParameterDescriptions.Any(parameter =>
        parameter.Source == BindingSource.Body || parameter.Source == BindingSource.Form
        || parameter.Source == BindingSource.Query || parameter.Source == BindingSource.Header);

    public bool HasPathParameter => description.ParameterDescriptions.Any(parameter => parameter.Source == BindingSource.Path);

    private MethodInfo? Handler => Metadata.OfType<MethodInfo>().FirstOrDefault();
}
