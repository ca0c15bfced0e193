using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>The two ways a request is authenticated: a session's bearer token, or a gateway's signature.</summary>
internal static class SecuritySchemes
{
    public const string Bearer = "bearer";
    public const string GatewaySignature = "gatewaySignature";

    public static void AddTo(OpenApiComponents components)
    {
        components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "opaque",
            Description = "The access token of a session (POST /api/auth/login), opaque to the client and short-lived; "
                + "POST /api/auth/refresh renews it. An operation's scopes under this scheme are the permissions it needs.",
        };
        components.SecuritySchemes[GatewaySignature] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = MestresCafe.Payments.WebhookSignature.Header,
            Description = "The payment gateway's signature of the body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">` with the "
                + "shared webhook secret; older than 5 minutes or not matching is a 401.",
        };
    }
}
