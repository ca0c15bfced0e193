using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>
/// A real store's first start: migrations only (no demo data), the first administrator from the
/// Bootstrap settings, who signs in and administers.
/// </summary>
public sealed class AdminBootstrapTests : IAsyncLifetime
{
    private const string AdminEmail = "Dona.Operadora@Example.com";
    private const string AdminPassword = "Primeiro-acesso-2026";

    private readonly ApiTestHost _host = new ApiTestHost().WithoutDemoData()
        .With("Bootstrap:AdminEmail", AdminEmail)
        .With("Bootstrap:AdminPassword", AdminPassword)
        .With("Bootstrap:AdminName", "Dona Operadora");

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task The_bootstrapped_administrator_signs_in_and_runs_the_store_without_any_demo_data()
    {
        Assert.Equal(0, await _host.Database.ScalarAsync<int>("select count(*) from products"));
        using var http = _host.CreateClient();
        var tokens = await LoginOkAsync(http, AdminEmail.ToLowerInvariant(), AdminPassword);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        var me = await http.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(["admin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        var roles = await http.GetFromJsonAsync<JsonElement>("/api/admin/roles");
        Assert.Equal(["admin", "customer", "manager", "support"], roles.EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray());

        // A customer signs up with the default role, and the administrator makes them a manager.
        var customer = await RegisterAsync(_host.CreateClient(), NewEmail());
        using (var promote = await http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/manager", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        }

        using (var created = await http.PostAsJsonAsync("/api/admin/roles", new { name = "estoquista", description = "Recebe mercadorias" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var grant = await http.PutAsync("/api/admin/roles/estoquista/permissions/inventory:write", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, grant.StatusCode);
        }

        Assert.Equal("admin.bootstrap", await _host.Database.ScalarAsync<string>("select action from audit_logs where user_id is null and action like 'admin.%'"));
        Assert.Equal("dona.operadora@example.com|Dona|Operadora|true", await _host.Database.ScalarAsync<string>(
            "select email || '|' || first_name || '|' || last_name || '|' || (email_verified_at is not null) from users where id = $1", tokens.UserId));
    }
}
