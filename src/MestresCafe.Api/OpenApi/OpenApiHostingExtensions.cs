using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, made to say what the server enforces. Everything it
/// adds is read from what the server itself runs on: endpoint metadata (authorization, rate-limit
/// policies, request size limits), the validation attributes of the request types and the JSON
/// options, so the document cannot drift from the behaviour.
/// </summary>
public static class OpenApiHostingExtensions
{
    public static IServiceCollection AddMestresOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer<ValidationSchemaTransformer>();
            options.AddOperationTransformer<SecurityRequirementTransformer>();
            options.AddOperationTransformer<ErrorResponsesTransformer>();
            options.AddOperationTransformer<HeaderParametersTransformer>();
            options.AddOperationTransformer<StorefrontExamplesTransformer>();
            options.AddDocumentTransformer<ApiInfoTransformer>();
            options.AddDocumentTransformer<RequestLimitsTransformer>();
        });
}
