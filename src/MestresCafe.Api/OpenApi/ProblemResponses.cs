using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// The problem details (RFC 9457) every error answers, as shared schemas and responses that each
/// operation refers to by status (see <see cref="ErrorResponsesTransformer"/>).
/// </summary>
internal static class ProblemResponses
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";
    public const string RetryAfterHeader = "Retry-After";

    /// <summary>Each error status this API answers, with what it means here.</summary>
    public static readonly IReadOnlyDictionary<int, string> Meanings = new Dictionary<int, string>
    {
        [400] = "The request is invalid: `errors` names each invalid field (by its JSON name) with its messages.",
        [401] = "No valid access token (missing, expired or revoked), or wrong credentials.",
        [402] = "The payment was declined.",
        [403] = "The token's user lacks the permission this operation needs, or the account is disabled.",
        [404] = "No such resource, or one that belongs to someone else.",
        [409] = "The request conflicts with the resource's current state (stock, limits, a concurrent change).",
        [413] = "The request body is larger than this operation accepts.",
        [422] = "The request is well-formed but refused by a business rule (see `detail`).",
        [423] = "The account is temporarily locked after failed sign-ins; retry after `Retry-After` seconds.",
        [429] = "A rate limit was reached; retry after `Retry-After` seconds.",
        [500] = "An unexpected error; the `traceId` finds it in the server's logs.",
        [502] = "The payment gateway refused or failed the operation; nothing was changed (see `detail`).",
        [503] = "A dependency (database, cache, a server of the cluster) is briefly unavailable; retrying after `Retry-After` seconds is safe.",
    };

    private static readonly HashSet<int> WithRetryAfter = [423, 429, 503];

    public static string ResponseName(int status) => "Problem" + status;

    public static void AddTo(OpenApiComponents components)
    {
        components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        // Replaces the generator's own schemas of these names with the members this API writes.
        components.Schemas[ProblemSchema] = Problem(withErrors: false);
        components.Schemas[ValidationProblemSchema] = Problem(withErrors: true);
        components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        components.Headers[RetryAfterHeader] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "86400" },
        };
        components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        foreach (var (status, meaning) in Meanings)
        {
            components.Responses[ResponseName(status)] = new OpenApiResponse
            {
                Description = meaning,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(status == 400 ? ValidationProblemSchema : ProblemSchema) },
                },
                Headers = WithRetryAfter.Contains(status)
                    ? new Dictionary<string, IOpenApiHeader> { [RetryAfterHeader] = new OpenApiHeaderReference(RetryAfterHeader) }
                    : null,
            };
        }
    }

    private static OpenApiSchema Problem(bool withErrors)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI reference naming the kind of problem.", 2048, "uri-reference"),
            ["title"] = Text("A short summary of the kind of problem.", 200),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599", Description = "The HTTP status." },
            ["detail"] = Text("What went wrong in this request, and what to do about it.", 2000),
            ["instance"] = Text("The request path.", 2048, "uri-reference"),
            ["traceId"] = Text("The W3C trace id of the request: the one in the server's logs and traces.", 64),
        };
        if (withErrors)
        {
            properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Each invalid field by its JSON name (e.g. `items[0].quantity`, or a header's name), with its messages.",
                MaxProperties = 200,
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    MaxItems = 20,
                    Items = Text(null, 1000),
                },
            };
        }

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = withErrors
                ? "A validation problem: the problem details with the invalid fields."
                : "A problem details object (RFC 9457); some operations add members, such as `outcome` and `lines` on checkout.",
            Required = new HashSet<string> { "title", "status" },
            Properties = properties,
            Examples = withErrors
                ? [new JsonObject
                {
                    ["title"] = "One or more validation errors occurred.",
                    ["status"] = 400,
                    ["errors"] = new JsonObject { ["items[0].quantity"] = new JsonArray("Must be between 1 and 999.") },
                    ["traceId"] = "0af7651916cd43dd8448eb211c80319c",
                }]
                : null,
        };
    }

    private static OpenApiSchema Text(string? description, int maxLength, string? format = null) =>
        new() { Type = JsonSchemaType.String, MaxLength = maxLength, Format = format, Description = description };
}
