using System.Text.Json;
using System.Text.Json.Nodes;
using MestresCafe.Api.Accounts;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.OpenApi;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Accounts;

public sealed partial class OpenApiTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>
{
    private readonly ApiTestHost _host = fixture.Host;

    [Theory]
    [InlineData("/api/auth/register", "post", "Register")]
    [InlineData("/api/auth/login", "post", "Login")]
    [InlineData("/api/auth/refresh", "post", "RefreshSession")]
    [InlineData("/api/auth/logout", "post", "Logout")]
    [InlineData("/api/auth/password-reset", "post", "RequestPasswordReset")]
    [InlineData("/api/auth/password-reset/confirm", "post", "ConfirmPasswordReset")]
    [InlineData("/api/me", "get", "GetCurrentUser")]
    [InlineData("/api/me", "patch", "UpdateCurrentUser")]
    [InlineData("/api/me/sessions", "get", "ListMySessions")]
    [InlineData("/api/me/sessions/{id}", "delete", "RevokeMySession")]
    [InlineData("/api/admin/roles", "get", "ListRoles")]
    [InlineData("/api/admin/users", "get", "ListUsers")]
    [InlineData("/api/admin/users/{id}", "get", "GetUser")]
    [InlineData("/api/admin/users/{id}/roles/{role}", "put", "AssignRole")]
    [InlineData("/api/admin/users/{id}/roles/{role}", "delete", "RevokeRole")]
    [InlineData("/api/admin/users/{id}/sessions/revoke", "post", "RevokeUserSessions")]
    public async Task The_openapi_document_describes_every_account_endpoint(string path, string method, string operationId)
    {
        using var http = _host.CreateClient();
        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Equal(operationId, operation.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
        Assert.True(operation.GetProperty("responses").EnumerateObject().Any());
    }

    [Fact]
    public async Task Request_and_response_schemas_are_published()
    {
        using var http = _host.CreateClient();
        var schemas = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("components").GetProperty("schemas");

        foreach (var name in new[] { "RegisterRequest", "LoginRequest", "AuthTokens", "UserProfile", "ProfileUpdate", "RoleView", "UserPage", "RoleAssignmentRequest" })
        {
            Assert.True(schemas.TryGetProperty(name, out _), $"schema {name} missing");
        }
    }

    [Fact]
    public async Task Every_operation_states_its_security_and_the_permission_it_needs()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        foreach (var (path, method, operation) in Operations(paths))
        {
            Assert.True(operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{method} {path} states no security");
            Assert.True(operation.GetProperty("responses").TryGetProperty("503", out _), $"{method} {path} lacks its 503");
        }

        var checkout = paths.GetProperty("/api/checkout").GetProperty("post");
        Assert.Equal("orders:create", Assert.Single(checkout.GetProperty("security")[0].GetProperty("bearer").EnumerateArray()).GetString());
        Assert.Contains("`orders:create`", checkout.GetProperty("description").GetString(), StringComparison.Ordinal);
        // Anonymous explicitly: an empty requirement first.
        var catalog = paths.GetProperty("/api/catalog/products").GetProperty("get").GetProperty("security");
        Assert.Empty(catalog[0].EnumerateObject());
        var webhook = paths.GetProperty("/api/payments/webhooks/simulated").GetProperty("post").GetProperty("security");
        Assert.True(Assert.Single(webhook.EnumerateArray()).TryGetProperty("gatewaySignature", out _));
    }

    [Fact]
    public async Task Error_responses_are_problem_details_with_retry_after_where_a_limit_applies()
    {
        var document = await DocumentAsync();
        var checkout = document.GetProperty("paths").GetProperty("/api/checkout").GetProperty("post");
        var statuses = checkout.GetProperty("responses").EnumerateObject().Select(response => response.Name).ToList();

        Assert.Equal(["201", "400", "401", "402", "403", "404", "409", "413", "422", "429", "500", "503"], statuses);
        var idempotencyKey = checkout.GetProperty("parameters").EnumerateArray().Single(parameter => parameter.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.True(idempotencyKey.GetProperty("required").GetBoolean());
        Assert.Equal("^[A-Za-z0-9_-]{8,100}$", idempotencyKey.GetProperty("schema").GetProperty("pattern").GetString());
        var responses = document.GetProperty("components").GetProperty("responses");
        Assert.True(responses.GetProperty("Problem429").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(responses.GetProperty("Problem503").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.Equal("#/components/schemas/HttpValidationProblemDetails",
            responses.GetProperty("Problem400").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        // The register operation limits itself in its handler: its 429 is stated too.
        Assert.True(document.GetProperty("paths").GetProperty("/api/auth/register").GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public async Task Schemas_carry_the_validation_limits_and_numbers_are_numbers()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var register = schemas.GetProperty("RegisterRequest").GetProperty("properties");
        Assert.Equal(AccountRules.MaxEmailLength, register.GetProperty("email").GetProperty("maxLength").GetInt32());
        Assert.Equal("email", register.GetProperty("email").GetProperty("format").GetString());
        Assert.Equal(AccountRules.MinPasswordLength, register.GetProperty("password").GetProperty("minLength").GetInt32());
        var quantity = schemas.GetProperty("AddItemRequest").GetProperty("properties").GetProperty("quantity");
        Assert.Equal("integer", quantity.GetProperty("type").GetString());
        Assert.Equal(1, quantity.GetProperty("minimum").GetInt32());
        Assert.Equal(MestresCafe.Cart.CartKey.MaxQuantityPerLine, quantity.GetProperty("maximum").GetInt32());
        Assert.Equal(@"^[0-9]{5}-?[0-9]{3}$", schemas.GetProperty("AddressInput").GetProperty("properties").GetProperty("postalCode").GetProperty("pattern").GetString());
        Assert.Equal(Api.Infrastructure.Validation.CpfOrCnpjAttribute.Pattern,
            schemas.GetProperty("CustomerProfileInput").GetProperty("properties").GetProperty("taxId").GetProperty("pattern").GetString());
        // Integer bounds print as integers: long.MaxValue, not a double rounded past the int64 range.
        Assert.DoesNotContain(Bounds(document), bound => bound.Contains('E', StringComparison.OrdinalIgnoreCase));
        // Only what the validation refuses when absent is required.
        Assert.Equal(["paymentMethod"], schemas.GetProperty("CheckoutRequest").GetProperty("required").EnumerateArray().Select(name => name.GetString()));
        Assert.DoesNotContain(TypeLists(document), types => types.Contains("string") && (types.Contains("integer") || types.Contains("number")));
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_refused_as_the_document_says()
    {
        using var http = _host.CreateClient();

        using var response = await http.PostAsync("/api/cart/items", new StringContent("""{"sku": "SM-BOURBON-AMARELO", "quantity": "2"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var http = _host.CreateClient();
        return JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
    }

    /// <summary>The raw text of every "minimum" and "maximum", anywhere in the document.</summary>
    private static IEnumerable<string> Bounds(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(member =>
            member is { Name: "minimum" or "maximum", Value.ValueKind: JsonValueKind.Number }
                ? [member.Value.GetRawText()]
                : Bounds(member.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Bounds),
        _ => [],
    };

    /// <summary>Every "type" given as a list, anywhere in the document.</summary>
    private static IEnumerable<string?[]> TypeLists(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(member =>
            member is { Name: "type", Value.ValueKind: JsonValueKind.Array }
                ? [member.Value.EnumerateArray().Select(type => type.GetString()).ToArray()]
                : TypeLists(member.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(TypeLists),
        _ => [],
    };

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement paths) =>
        paths.EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(entry => entry.Name is "get" or "post" or "put" or "patch" or "delete")
            .Select(entry => (path.Name, entry.Name, entry.Value)));

    [Fact]
    public async Task The_committed_document_the_client_is_generated_from_is_the_served_one()
    {
        using var http = _host.CreateClient();
        var served = await http.GetStringAsync("/openapi/v1.json");
        var committed = await File.ReadAllTextAsync(Path.Combine(SpectralLint.Folder, "v1.json"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(served), JsonNode.Parse(committed)),
            "docs/openapi/v1.json (from which tests/MestresCafe.Client.Tests generates its client) is not the served document: "
            + "copy artifacts/openapi/v1.json, which the lint test writes, over it and rebuild the client tests.");
    }

    [Fact]
    public async Task The_served_document_passes_spectral_and_the_owasp_ruleset_without_errors()
    {
        using var http = _host.CreateClient();
        var served = await http.GetStringAsync("/openapi/v1.json");
        // Written where a reader (or a client generator) can pick it up after a test run.
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "openapi", "v1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, served);
        // Linted with a probe operation that breaks each of the ruleset's own request-limit rules,
        // so that a rule which silently matches nothing fails here instead of passing everything.
        var probed = Path.Combine(Path.GetDirectoryName(path)!, "v1-with-lint-probe.json");
        await File.WriteAllTextAsync(probed, LintProbe.AddTo(served));

        var findings = await SpectralLint.RunAsync(probed);

        var errors = findings.Where(finding => finding.Severity == 0).ToList();
        var documentErrors = errors.Where(finding => !LintProbe.IsProbe(finding.Path)).ToList();
        Assert.True(documentErrors.Count == 0, $"{documentErrors.Count} errors, e.g.:\n" + string.Join('\n', documentErrors.Take(40)));
        Assert.Equal(LintProbe.ExpectedRules, errors.Select(finding => finding.Code).Order().ToArray());
    }
}
