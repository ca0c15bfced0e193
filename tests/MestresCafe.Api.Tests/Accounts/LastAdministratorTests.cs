using System.Net;
using System.Net.Http.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Accounts;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>
/// The store always keeps an administrator (an active user holding roles:write through a role
/// without expiry): revoking the admin role from the last one, giving their role an expiry or
/// taking roles:write from the admin role is a 409 that changes nothing, also when two such
/// removals race. Each test starts a store of its own with no demo accounts, so the administrators
/// are exactly the ones it makes.
/// </summary>
public sealed class LastAdministratorTests : IAsyncLifetime
{
    private readonly ApiTestHost _host = new ApiTestHost().WithoutDemoData().With("RateLimits:Enabled", "false");

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task The_admin_role_of_the_last_administrator_cannot_be_revoked_but_of_one_of_two_can()
    {
        using var first = await NewAdministratorAsync();
        using var second = await NewAdministratorAsync();

        using var revokeSecond = await first.Http.DeleteAsync($"/api/admin/users/{second.UserId}/roles/admin");
        Assert.Equal(HttpStatusCode.NoContent, revokeSecond.StatusCode);

        using var revokeSelf = await first.Http.DeleteAsync($"/api/admin/users/{first.UserId}/roles/admin");
        var problem = await AssertProblemAsync(revokeSelf, HttpStatusCode.Conflict);
        Assert.Contains("last administrator", problem.GetProperty("title").GetString());
        Assert.Equal(1, await AdministratorsAsync());
        Assert.Equal(1, await _host.Database.ScalarAsync<int>("select count(*) from audit_logs where action = 'role.revoke'"));
        using var stillAdmin = await first.Http.GetAsync("/api/admin/permissions");
        Assert.Equal(HttpStatusCode.OK, stillAdmin.StatusCode);
    }

    [Fact]
    public async Task An_expiry_on_the_last_administrators_role_is_refused()
    {
        using var only = await NewAdministratorAsync();

        using var expiring = await only.Http.PutAsJsonAsync($"/api/admin/users/{only.UserId}/roles/admin", new { expiresAt = DateTimeOffset.UtcNow.AddDays(1) });

        await AssertProblemAsync(expiring, HttpStatusCode.Conflict);
        Assert.Equal(1, await AdministratorsAsync());
        Assert.Equal(0, await _host.Database.ScalarAsync<int>("select count(*) from user_roles where expires_at is not null"));
    }

    [Fact]
    public async Task Roles_write_cannot_be_taken_from_the_admin_role_while_it_makes_the_only_administrators()
    {
        using var admin = await NewAdministratorAsync();

        using var refused = await admin.Http.DeleteAsync($"/api/admin/roles/admin/permissions/{AdministratorRule.Permission}");
        await AssertProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal(1, await AdministratorsAsync());

        // Once another role makes an administrator, the admin role may lose it.
        using (var created = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { name = "seguranca" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var officer = await _host.CreateSignedInClientAsync("support");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsync($"/api/admin/roles/seguranca/permissions/{AdministratorRule.Permission}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.PutAsJsonAsync($"/api/admin/users/{officer.UserId}/roles/seguranca", new { })).StatusCode);

        using var allowed = await admin.Http.DeleteAsync($"/api/admin/roles/admin/permissions/{AdministratorRule.Permission}");
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(1, await AdministratorsAsync());
        // The admin role's holder lost the permission on their next request.
        using var lost = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { name = "outro" });
        await AssertProblemAsync(lost, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Of_two_administrators_removing_each_other_at_once_exactly_one_succeeds()
    {
        using var first = await NewAdministratorAsync();
        using var second = await NewAdministratorAsync();

        // Both requests queue behind a lock the test holds, then run one after the other in either order.
        await using var held = await HeldRowLock.TakeAsync(
            _host.Database.DataSource, "select 1 from permissions where name = $1 for update", AdministratorRule.Permission);
        var firstRemovesSecond = first.Http.DeleteAsync($"/api/admin/users/{second.UserId}/roles/admin");
        var secondRemovesFirst = second.Http.DeleteAsync($"/api/admin/users/{first.UserId}/roles/admin");
        Assert.True(await held.WaitersAsync(2), "both removals should wait for the administrators' lock");
        await held.ReleaseAsync();
        using var a = await firstRemovesSecond;
        using var b = await secondRemovesFirst;

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], new[] { a.StatusCode, b.StatusCode }.Order().ToArray());
        Assert.Equal(1, await AdministratorsAsync());
        Assert.Equal(1, await _host.Database.ScalarAsync<int>("select count(*) from audit_logs where action = 'role.revoke'"));
    }

    /// <summary>A signed-in user whose only claim to administration is the admin role (not the users.is_admin flag).</summary>
    private async Task<SignedInClient> NewAdministratorAsync()
    {
        var client = await _host.CreateSignedInClientAsync("admin");
        await _host.Database.ExecuteAsync($"update users set is_admin = false where id = {client.UserId}");
        return client;
    }

    private Task<int> AdministratorsAsync() => _host.Database.ScalarAsync<int>(
        """
        select count(*) from users u
        where u.is_active and (u.is_admin or exists (
            select 1 from user_roles ur join role_permissions rp on rp.role_id = ur.role_id join permissions p on p.id = rp.permission_id
            where ur.user_id = u.id and p.name = $1 and ur.expires_at is null))
        """, AdministratorRule.Permission);
}
