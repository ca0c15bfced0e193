using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>
/// Role definitions in the back office: permissions listed, roles created, permissions granted and
/// revoked (audited, applied on the holders' next request), guarded by roles:write, bad input as
/// problem details with nothing written.
/// </summary>
public sealed class RoleAdminTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>
{
    private readonly ApiTestHost _host = fixture.Host;

    [Fact]
    public async Task An_admin_lists_every_permission_with_its_description()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");

        var permissions = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/permissions");

        Assert.Equal(await _host.Database.ScalarAsync<int>("select count(*) from permissions"), permissions.GetArrayLength());
        var rolesWrite = permissions.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "roles:write");
        Assert.Equal("roles", rolesWrite.GetProperty("resource").GetString());
        Assert.Equal("write", rolesWrite.GetProperty("action").GetString());
        Assert.False(string.IsNullOrEmpty(rolesWrite.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task A_created_role_grants_what_is_granted_to_it_from_the_next_request_and_every_change_is_audited()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var holder = await _host.CreateSignedInClientAsync("customer");
        var role = NewRoleName();

        using var created = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { name = role, description = "  Lê relatórios  " });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(role, body.GetProperty("name").GetString());
        Assert.Equal("Lê relatórios", body.GetProperty("description").GetString());
        Assert.Equal(0, body.GetProperty("permissions").GetArrayLength());
        Assert.Equal($"/api/admin/roles/{role}", created.Headers.Location?.OriginalString);

        using (var assign = await admin.Http.PutAsJsonAsync($"/api/admin/users/{holder.UserId}/roles/{role}", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        }

        await AssertStatusAsync(holder, "/api/admin/reports", HttpStatusCode.Forbidden);

        using (var grant = await admin.Http.PutAsync($"/api/admin/roles/{role}/permissions/reports:read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, grant.StatusCode);
        }

        using (var again = await admin.Http.PutAsync($"/api/admin/roles/{role}/permissions/reports:read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        await AssertStatusAsync(holder, "/api/admin/reports", HttpStatusCode.OK);
        var roles = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/roles");
        var listed = roles.EnumerateArray().Single(r => r.GetProperty("name").GetString() == role);
        Assert.Equal(["reports:read"], listed.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!).ToArray());

        using (var revoke = await admin.Http.DeleteAsync($"/api/admin/roles/{role}/permissions/reports:read"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await AssertStatusAsync(holder, "/api/admin/reports", HttpStatusCode.Forbidden);
        Assert.Equal("role.create,role.assign,role.grant_permission,role.revoke_permission", await _host.Database.ScalarAsync<string>(
            "select string_agg(action, ',' order by id) from audit_logs where user_id = $1", admin.UserId));
        Assert.Equal($"{role}|reports:read", await _host.Database.ScalarAsync<string>(
            "select old_values->>'role' || '|' || (old_values->>'permission') from audit_logs where user_id = $1 and action = 'role.revoke_permission'", admin.UserId));
    }

    [Fact]
    public async Task Bad_names_are_400_taken_names_409_unknown_roles_and_permissions_404_and_nothing_is_written()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        var before = await CountWritesAsync();

        using var blank = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { description = "sem nome" });
        using var upper = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { name = "Barista Chefe" });
        using var tooLong = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { name = new string('a', 51), description = new string('d', 256) });
        using var taken = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { name = "manager" });
        using var noRole = await admin.Http.PutAsync("/api/admin/roles/barista/permissions/reports:read", null);
        using var noPermission = await admin.Http.PutAsync("/api/admin/roles/manager/permissions/reports:delete", null);
        using var notGranted = await admin.Http.DeleteAsync("/api/admin/roles/support/permissions/reports:read");

        Assert.Equal(["name"], ErrorKeys(await AssertProblemAsync(blank, HttpStatusCode.BadRequest)));
        Assert.Equal(["name"], ErrorKeys(await AssertProblemAsync(upper, HttpStatusCode.BadRequest)));
        Assert.Equal(["description", "name"], ErrorKeys(await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest)));
        await AssertProblemAsync(taken, HttpStatusCode.Conflict);
        await AssertProblemAsync(noRole, HttpStatusCode.NotFound);
        await AssertProblemAsync(noPermission, HttpStatusCode.NotFound);
        await AssertProblemAsync(notGranted, HttpStatusCode.NotFound);
        Assert.Equal(before, await CountWritesAsync());
    }

    [Fact]
    public async Task Only_a_holder_of_roles_write_changes_roles()
    {
        using var manager = await _host.CreateSignedInClientAsync("manager");
        using var anonymous = _host.CreateClient();
        var before = await CountWritesAsync();

        using (var list = await manager.Http.GetAsync("/api/admin/permissions"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode); // users:read
        }

        foreach (var http in new[] { manager.Http, anonymous })
        {
            using var create = await http.PostAsJsonAsync("/api/admin/roles", new { name = NewRoleName() });
            using var grant = await http.PutAsync("/api/admin/roles/manager/permissions/roles:write", null);
            using var revoke = await http.DeleteAsync("/api/admin/roles/admin/permissions/roles:write");
            var expected = http == anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            await AssertProblemAsync(create, expected);
            await AssertProblemAsync(grant, expected);
            await AssertProblemAsync(revoke, expected);
        }

        Assert.Equal(before, await CountWritesAsync());
    }

    [Fact]
    public async Task A_grant_change_marks_every_session_of_a_wide_role_for_reload()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        var role = NewRoleName();
        using (var created = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { name = role }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // More holders than one Redis batch takes (the marks go in chunks of 500).
        var hashes = await _host.Database.ScalarAsync<string[]>(
            """
            with u as (insert into users (email) select 'largo' || g || '.' || $1 || '@example.com' from generate_series(1, 1201) g returning id),
                 r as (insert into user_roles (user_id, role_id) select u.id, ro.id from u, roles ro where ro.name = $1),
                 s as (insert into user_sessions (user_id, session_token, expires_at)
                       select id, encode(sha256(convert_to(id::text || $1, 'UTF8')), 'hex'), now() + interval '1 hour' from u
                       returning session_token)
            select array_agg(session_token::text) from s
            """, role);

        using (var grant = await admin.Http.PutAsync($"/api/admin/roles/{role}/permissions/reports:read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, grant.StatusCode);
        }

        var redis = _host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var values = await redis.StringGetAsync(hashes.Select(h => (RedisKey)(_host.RedisKeyPrefix + "session:" + h)).ToArray());
        Assert.Equal(1201, values.Length);
        Assert.All(values, v => Assert.Equal("reload", (string?)v));
    }

    private static async Task AssertStatusAsync(SignedInClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.Http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
    }

    private Task<long> CountWritesAsync() => _host.Database.ScalarAsync<long>(
        "select (select count(*) from roles) + (select count(*) from role_permissions) + (select count(*) from audit_logs)");

    private static string[] ErrorKeys(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();

    private static string NewRoleName() => "papel_" + Guid.NewGuid().ToString("N")[..10];
}
