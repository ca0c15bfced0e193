using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Accounts;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Security;

/// <summary>The back office asks for permissions from unexpired role assignments; changes apply at once.</summary>
public sealed class PermissionTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>
{
    private readonly ApiTestHost _host = fixture.Host;

    [Fact]
    public async Task A_customer_gets_403_on_every_back_office_endpoint_and_changes_nothing()
    {
        using var customer = await _host.CreateSignedInClientAsync("customer");
        var before = await _host.Database.ScalarAsync<long>("select (select count(*) from user_roles) + (select count(*) from audit_logs)");

        foreach (var (method, path) in BackOfficeCalls(customer.UserId))
        {
            using var response = await SendAsync(customer.Http, method, path, null, method == HttpMethod.Put ? new { } : null);
            await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        }

        Assert.Equal(before, await _host.Database.ScalarAsync<long>("select (select count(*) from user_roles) + (select count(*) from audit_logs)"));
    }

    [Fact]
    public async Task Anonymous_calls_to_the_back_office_are_401()
    {
        using var http = _host.CreateClient();

        foreach (var (method, path) in BackOfficeCalls(1))
        {
            using var response = await SendAsync(http, method, path, null, method == HttpMethod.Put ? new { } : null);
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task An_admin_sees_the_seeded_roles_and_users()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var customer = await _host.CreateSignedInClientAsync("customer");

        var roles = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/roles");
        var users = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/users?search={Uri.EscapeDataString(customer.Email)}");
        var detail = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/users/{customer.UserId}");

        var names = roles.EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["admin", "customer", "manager", "support"], names);
        var customerRole = roles.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "customer");
        Assert.Contains("account:read_own", customerRole.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(1, users.GetProperty("total").GetInt64());
        Assert.Equal(customer.UserId, users.GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.Equal(customer.CustomerId, detail.GetProperty("customerId").GetInt64());
        Assert.Equal("customer", detail.GetProperty("roles")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_manager_reads_users_but_may_not_assign_roles()
    {
        using var manager = await _host.CreateSignedInClientAsync("manager");
        using var customer = await _host.CreateSignedInClientAsync("customer");

        using var list = await manager.Http.GetAsync("/api/admin/users");
        using var grant = await manager.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/admin", new { });

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        await AssertProblemAsync(grant, HttpStatusCode.Forbidden);
        Assert.Equal(0, await _host.Database.ScalarAsync<int>(
            "select count(*) from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = $1 and r.name = 'admin'", customer.UserId));
    }

    [Fact]
    public async Task A_granted_role_applies_on_the_next_request_and_a_revoked_one_stops_at_once()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var customer = await _host.CreateSignedInClientAsync("customer");
        using (var before = await customer.Http.GetAsync("/api/admin/users"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        using var grant = await admin.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/manager", new { });
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        using (var granted = await customer.Http.GetAsync("/api/admin/users"))
        {
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        }

        using var revoke = await admin.Http.DeleteAsync($"/api/admin/users/{customer.UserId}/roles/manager");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using (var revoked = await customer.Http.GetAsync("/api/admin/users"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, revoked.StatusCode);
        }

        Assert.Equal("role.assign,role.revoke", await _host.Database.ScalarAsync<string>(
            "select string_agg(action, ',' order by id) from audit_logs where user_id = $1 and table_name = 'user_roles'", admin.UserId));
        Assert.Equal("manager", await _host.Database.ScalarAsync<string>(
            "select new_values->>'role' from audit_logs where user_id = $1 and action = 'role.assign'", admin.UserId));
    }

    [Fact]
    public async Task A_role_with_an_expiry_stops_granting_when_it_expires()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var customer = await _host.CreateSignedInClientAsync("customer");

        // The first check must be answered while the role still holds: a window that closed before the
        // answer came back (a busy machine) proves nothing, so the grant is made again, twice as long.
        for (var window = TimeSpan.FromSeconds(3); ; window *= 2)
        {
            var expiresAt = DateTimeOffset.UtcNow + window;
            using var grant = await admin.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/manager", new { expiresAt });
            Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
            using var granted = await customer.Http.GetAsync("/api/admin/users");
            if (DateTimeOffset.UtcNow < expiresAt)
            {
                Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
                break;
            }

            Assert.True(window < TimeSpan.FromMinutes(1), "no grant could be checked before it expired");
        }

        // The cached session lives only until the first role expiry, so the loss needs no invalidation.
        var status = HttpStatusCode.OK;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await customer.Http.GetAsync("/api/admin/users");
            status = response.StatusCode;
            return status != HttpStatusCode.OK;
        }, every: TimeSpan.FromMilliseconds(250));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var detail = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/users/{customer.UserId}");
        var manager = detail.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("role").GetString() == "manager");
        Assert.True(manager.GetProperty("isExpired").GetBoolean());
    }

    [Fact]
    public async Task Unknown_users_and_roles_are_404_and_a_past_expiry_is_400()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var customer = await _host.CreateSignedInClientAsync("customer");

        using var noUser = await admin.Http.PutAsJsonAsync("/api/admin/users/999999999/roles/manager", new { });
        using var noRole = await admin.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/barista", new { });
        using var notHeld = await admin.Http.DeleteAsync($"/api/admin/users/{customer.UserId}/roles/support");
        using var past = await admin.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/manager", new { expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        using var noDetail = await admin.Http.GetAsync("/api/admin/users/999999999");

        await AssertProblemAsync(noUser, HttpStatusCode.NotFound);
        await AssertProblemAsync(noRole, HttpStatusCode.NotFound);
        await AssertProblemAsync(notHeld, HttpStatusCode.NotFound);
        await AssertProblemAsync(past, HttpStatusCode.BadRequest);
        await AssertProblemAsync(noDetail, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_admin_can_end_every_session_of_a_user()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var customer = await _host.CreateSignedInClientAsync("customer");

        using var revoke = await admin.Http.PostAsync($"/api/admin/users/{customer.UserId}/sessions/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(1, (await revoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
        using var after = await customer.Http.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task The_user_search_treats_sql_and_wildcards_as_text()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");

        foreach (var search in new[] { "' or 1=1 --", "%", "_", "\\", "'); drop table users; --" })
        {
            var page = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/admin/users?search={Uri.EscapeDataString(search)}");
            Assert.Equal(0, page.GetProperty("total").GetInt64());
        }

        using var tooLong = await admin.Http.GetAsync($"/api/admin/users?search={new string('a', 101)}");
        using var badPage = await admin.Http.GetAsync("/api/admin/users?page=0&pageSize=1000");
        using var notANumber = await admin.Http.GetAsync("/api/admin/users?page=abc");
        await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest);
        var problem = await AssertProblemAsync(badPage, HttpStatusCode.BadRequest);
        Assert.Equal(["page", "pageSize"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray());
        await AssertProblemAsync(notANumber, HttpStatusCode.BadRequest);
    }

    private static (HttpMethod, string)[] BackOfficeCalls(long userId) =>
    [
        (HttpMethod.Get, "/api/admin/roles"),
        (HttpMethod.Get, "/api/admin/users"),
        (HttpMethod.Get, $"/api/admin/users/{userId}"),
        (HttpMethod.Put, $"/api/admin/users/{userId}/roles/admin"),
        (HttpMethod.Delete, $"/api/admin/users/{userId}/roles/customer"),
        (HttpMethod.Post, $"/api/admin/users/{userId}/sessions/revoke"),
        (HttpMethod.Get, "/api/admin/projections/dead-letters"),
        (HttpMethod.Post, "/api/admin/projections/dead-letters/1/resolve"),
    ];
}
