using MestresCafe.Api.Cart;
using MestresCafe.Api.Checkout;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// The request headers the handlers check themselves: the checkout's Idempotency-Key (required,
/// its pattern the one the handler checks with) and the visitor cart's X-Cart-Id token, which the
/// cart operations read when no one is signed in and answer for a new cart.
/// </summary>
internal sealed class HeaderParametersTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.In == ParameterLocation.Header && parameter.Name == CheckoutApi.IdempotencyHeader)
            {
                parameter.Required = true;
                parameter.Description = "One key per purchase attempt: a retry with the same key and body returns the same order and charges once.";
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    MinLength = 8,
                    MaxLength = 100,
                    Pattern = CheckoutValidation.IdempotencyKeyPattern().ToString(),
                };
            }
        }

        if (context.Description.RelativePath?.StartsWith("api/cart", StringComparison.Ordinal) == true && new EndpointFacts(context.Description).IsAnonymous)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = CartApi.VisitorHeader,
                In = ParameterLocation.Header,
                Description = "A visitor's cart token, as a previous cart answer gave it; ignored when signed in (sign-in merges the visitor's cart).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = VisitorCartTokens.TokenLength, MaxLength = VisitorCartTokens.TokenLength },
            });
            foreach (var response in (operation.Responses ?? []).Where(entry => entry.Key.StartsWith('2')).Select(entry => entry.Value).OfType<OpenApiResponse>())
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[CartApi.VisitorHeader] = new OpenApiHeader
                {
                    Description = "The visitor's cart token, when no one is signed in: send it back on the next cart request.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = VisitorCartTokens.TokenLength, MaxLength = VisitorCartTokens.TokenLength },
                };
            }
        }

        return Task.CompletedTask;
    }
}
