using System.Net;
using MestresCafe.Data.Accounts;
using MestresCafe.Data.Audit;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Accounts;

/// <summary>
/// The roles-and-permissions rule (<see cref="UserGrantsQuery"/>) and the two reads that embed it:
/// the session look-up and the profile.
/// </summary>
public sealed class UserGrantsQueryTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private UserGrantsQuery _grants = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(UserGrantsQueryTests));
        _grants = new UserGrantsQuery(_database.DataSource);
        await _database.ExecuteAsync(
            """
            insert into permissions (name, resource, action) values ('grants:read', 'grants', 'read'), ('grants:write', 'grants', 'write'),
                                                                    ('other:read', 'other', 'read');
            insert into roles (name) values ('reader'), ('writer'), ('temporary');
            insert into role_permissions (role_id, permission_id)
            select r.id, p.id from roles r, permissions p
            where (r.name, p.name) in (('reader', 'grants:read'), ('writer', 'grants:read'), ('writer', 'grants:write'), ('temporary', 'other:read'));
            """);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Unexpired_assignments_grant_their_roles_and_the_union_of_their_permissions()
    {
        var user = await NewUserAsync("union@example.com");
        await AssignAsync(user, "reader");
        await AssignAsync(user, "writer", "now() + interval '2 days'");

        var grants = await _grants.GetAsync(user, CancellationToken.None);

        Assert.NotNull(grants);
        Assert.Equal(["reader", "writer"], grants.Roles);
        Assert.Equal(["grants:read", "grants:write"], grants.Permissions);
        Assert.NotNull(grants.ClaimsValidUntil);
        Assert.InRange(grants.ClaimsValidUntil.Value, DateTimeOffset.UtcNow.AddDays(2).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(2).AddMinutes(1));
    }

    [Fact]
    public async Task An_expired_assignment_grants_nothing()
    {
        var user = await NewUserAsync("expired@example.com");
        await AssignAsync(user, "reader");
        await AssignAsync(user, "temporary", "now() - interval '1 second'");

        var grants = await _grants.GetAsync(user, CancellationToken.None);

        Assert.Equal(["reader"], grants!.Roles);
        Assert.Equal(["grants:read"], grants.Permissions);
        Assert.Null(grants.ClaimsValidUntil);
    }

    [Fact]
    public async Task A_revoked_role_grants_nothing_and_its_revocation_is_audited()
    {
        var user = await NewUserAsync("revoked@example.com");
        await AssignAsync(user, "writer");
        var admin = new UserAdminStore(_database.DataSource);

        Assert.Equal(RoleChangeOutcome.Changed, await admin.RevokeRoleAsync(user, "writer", AuditActor.System, CancellationToken.None));
        Assert.Equal(RoleChangeOutcome.NotFound, await admin.RevokeRoleAsync(user, "writer", AuditActor.System, CancellationToken.None));

        var grants = await _grants.GetAsync(user, CancellationToken.None);
        Assert.Empty(grants!.Roles);
        Assert.Empty(grants.Permissions);
        Assert.Equal("writer", await _database.ScalarAsync<string>(
            "select old_values->>'role' from audit_logs where action = 'role.revoke' and old_values->>'userId' = $1", user.ToString()));
    }

    [Fact]
    public async Task The_admin_flag_grants_every_permission_without_a_role()
    {
        var user = await NewUserAsync("admin@example.com", isAdmin: true);

        var grants = await _grants.GetAsync(user, CancellationToken.None);

        Assert.Empty(grants!.Roles);
        // every permission: the reference ones of the migrations and this class's own
        Assert.Equal(await _database.ScalarAsync<string[]>("select array_agg(name order by name) from permissions"), grants.Permissions);
        Assert.Contains("grants:write", grants.Permissions);
    }

    [Fact]
    public async Task An_inactive_user_has_no_grants()
    {
        var user = await NewUserAsync("inactive@example.com");
        await AssignAsync(user, "writer");
        await _database.ExecuteAsync($"update users set is_active = false where id = {user}");

        Assert.Null(await _grants.GetAsync(user, CancellationToken.None));
    }

    [Fact]
    public async Task The_session_look_up_and_the_profile_carry_the_same_grants_as_the_rule()
    {
        var user = await NewUserAsync("same@example.com");
        await AssignAsync(user, "reader");
        await AssignAsync(user, "temporary", "now() + interval '1 hour'");
        await AssignAsync(user, "writer", "now() - interval '1 hour'");
        var token = new string('a', 64);
        await _database.ExecuteAsync(
            $"insert into user_sessions (user_id, session_token, expires_at) values ({user}, '{token}', now() + interval '1 hour')");

        var grants = await _grants.GetAsync(user, CancellationToken.None);
        var session = await new UserSessionStore(_database.DataSource).LoadAsync(token, CancellationToken.None);
        var profile = await new UserProfileStore(_database.DataSource).GetAsync(user, CancellationToken.None);

        Assert.Equal(["reader", "temporary"], grants!.Roles);
        Assert.Equal(grants.Roles, session!.Roles);
        Assert.Equal(grants.Permissions, session.Permissions);
        Assert.Equal(grants.ClaimsValidUntil, session.ClaimsValidUntil);
        Assert.Equal(grants.Roles, profile!.Roles);
        Assert.Equal(grants.Permissions, profile.Permissions);
    }

    [Fact]
    public async Task An_audit_row_records_the_actor_given_as_a_value()
    {
        var user = await NewUserAsync("actor@example.com");
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            await AuditTrail.WriteAsync(connection, null, new AuditEntry("test.write", "users", user, null, new { answer = 42 }),
                new AuditActor(user, IPAddress.Parse("203.0.113.7"), "tests"));
        }

        Assert.Equal($"{user}|203.0.113.7|tests|42", await _database.ScalarAsync<string>(
            "select concat_ws('|', user_id, host(ip_address), user_agent, new_values->>'answer') from audit_logs where action = 'test.write'"));
    }

    private async Task<long> NewUserAsync(string email, bool isAdmin = false) =>
        await _database.ScalarAsync<long>("insert into users (email, is_admin) values ($1, $2) returning id", email, isAdmin);

    private Task AssignAsync(long user, string role, string expiresAt = "null") =>
        _database.ExecuteAsync($"insert into user_roles (user_id, role_id, expires_at) select {user}, id, {expiresAt} from roles where name = '{role}'");
}
