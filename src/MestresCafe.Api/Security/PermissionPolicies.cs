using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Security;

/// <summary>
/// Authorization by permission: <c>.RequirePermission("products:write")</c> on an endpoint or a
/// group builds a policy "perm:products:write" on demand, satisfied by a matching permission claim.
/// </summary>
public static class PermissionPolicies
{
    public const string Prefix = "perm:";

    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Prefix + permission);
}

/// <summary>Builds "perm:*" policies on demand; every other name goes to the default provider.</summary>
public sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (!policyName.StartsWith(PermissionPolicies.Prefix, StringComparison.Ordinal))
        {
            return await base.GetPolicyAsync(policyName);
        }

        var permission = policyName[PermissionPolicies.Prefix.Length..];
        return new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireClaim(MestresClaims.Permission, permission)
            .Build();
    }
}
