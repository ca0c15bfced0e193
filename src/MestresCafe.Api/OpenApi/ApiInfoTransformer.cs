using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// What the API is and how a client talks to it: title, description (authentication,
/// Idempotency-Key, paging, errors), contact, version and versioning policy, the server, and the
/// shared components (security schemes, problem details, error responses) the operations refer to.
/// </summary>
internal sealed class ApiInfoTransformer : IOpenApiDocumentTransformer
{
    public const string Version = "1.0.0";

    private const string Description = """
        The storefront and back-office API of Mestres Café, a Brazilian specialty coffee shop: the
        catalog, carts, checkout and orders, payments, loyalty points, content, CRM and the back office.
        Texts meant for shoppers are in Brazilian Portuguese (pt-BR); prices are in BRL.

        ## Authentication
        `POST /api/auth/login` exchanges e-mail and password for an access token and a refresh token.
        Send the access token as `Authorization: Bearer <token>`; when it expires, `POST /api/auth/refresh`
        exchanges the refresh token (once) for a new pair. Each operation's `security` says whether it is
        anonymous (`{}`), needs a signed-in user, or needs a permission: the permission is the scope listed
        under `bearer` and is named in the operation's description. A missing or expired token is a 401,
        a token without the permission a 403. The payment gateway's webhook is authenticated by its
        HMAC-SHA256 signature header instead.

        ## Idempotency
        `POST /api/checkout` requires an `Idempotency-Key` header (8 to 100 letters, digits, `-` or `_`).
        A retry with the same key and body returns the same order and charges once; the same key with
        another body is a 422. Generate one key per purchase attempt and reuse it only for retries.

        ## Paging
        Lists take `page` (from 1) and `pageSize` (bounded per list) and answer the page's items with
        the total count; some feeds take `limit` instead. Out-of-range values are a 400.

        ## Errors
        Every error is an RFC 9457 problem details object (`application/problem+json`) with `status`,
        `title`, an optional `detail` and the `traceId` of the request's logs. A 400 from validation
        carries `errors`: the invalid fields by their JSON name (`items[0].quantity`) with their messages.
        A 429 (rate limit) and a 503 (a dependency briefly unavailable; retrying is safe) carry
        `Retry-After` in seconds.

        ## Versioning
        This is version 1 of the API, served under `/api`. Within a major version changes are additive
        only (new operations, new optional fields, new enum values a client should tolerate); a field or
        operation is removed or changed incompatibly only in a new major version, announced with a
        deprecation notice in this document at least 90 days before the old version is turned off.
        """;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Mestres Café API",
            Version = Version,
            Description = Description,
            Contact = new OpenApiContact { Name = "Mestres Café: equipe de tecnologia", Email = "tecnologia@mestrescafe.com.br", Url = new Uri("https://mestrescafe.com.br") },
        };
        // Relative: the document describes the host that served it, whichever environment that is.
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "/",
                Description = "The server that served this document (local, staging or production alike).",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            },
        ];
        document.Components ??= new OpenApiComponents();
        SecuritySchemes.AddTo(document.Components);
        ProblemResponses.AddTo(document.Components);
        return Task.CompletedTask;
    }
}
