using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// Each operation's security, read from its authorization metadata: anonymous operations say so
/// explicitly (an empty requirement; a bearer token is still read when sent, e.g. to merge a
/// visitor's cart), signed-in ones require the bearer scheme, and permission-guarded ones list the
/// permission as the bearer scope and name it in the description.
/// </summary>
internal sealed class SecurityRequirementTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var facts = new EndpointFacts(context.Description);
        var document = context.Document;
        if (facts.SignedWebhook is { } webhook)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemes.GatewaySignature, document)] = [] }];
            operation.Description = Append(operation.Description, $"Authentication: the sender's signature in the `{webhook.Header}` header (no bearer token).");
            return Task.CompletedTask;
        }

        if (facts.IsAnonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement(), new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemes.Bearer, document)] = [] }];
            operation.Description = Append(operation.Description, "Authentication: none (anonymous); a bearer token is used when sent.");
            return Task.CompletedTask;
        }

        if (facts.PermissionAlternatives is { Count: > 0 } alternatives)
        {
            operation.Security = [.. alternatives.Select(permission =>
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemes.Bearer, document)] = [permission] })];
            operation.Description = Append(operation.Description,
                $"Authentication: a bearer token whose user holds one of the permissions {string.Join(" or ", alternatives.Select(p => $"`{p}`"))}.");
            return Task.CompletedTask;
        }

        var permissions = facts.Permissions;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemes.Bearer, document)] = [.. permissions] }];
        operation.Description = Append(operation.Description, permissions.Count == 0
            ? "Authentication: a signed-in user's bearer token."
            : $"Authentication: a bearer token whose user holds the permission {string.Join(" and ", permissions.Select(p => $"`{p}`"))}.");
        return Task.CompletedTask;
    }

    internal static string Append(string? description, string sentence) =>
        string.IsNullOrWhiteSpace(description) ? sentence : description.TrimEnd() + "\n\n" + sentence;
}
