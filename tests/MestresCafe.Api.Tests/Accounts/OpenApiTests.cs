using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Accounts;

public sealed class OpenApiTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>
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
}
