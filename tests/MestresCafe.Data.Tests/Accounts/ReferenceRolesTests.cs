using MestresCafe.Data.Accounts;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Accounts;

/// <summary>
/// Roles and permissions are reference data of the migrations (0046): a store migrated without the
/// demo seed has them, re-applying them changes nothing, and the demo seed adds none.
/// </summary>
public sealed class ReferenceRolesTests : IAsyncLifetime
{
    private const string Snapshot =
        """
        select string_agg(r.name || '=' || coalesce(g.granted, ''), ';' order by r.name)
        from roles r
        left join lateral (select string_agg(p.name, ',' order by p.name) as granted
                           from role_permissions rp join permissions p on p.id = rp.permission_id
                           where rp.role_id = r.id) g on true
        """;

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(ReferenceRolesTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_migrated_database_has_the_four_roles_and_34_permissions()
    {
        Assert.Equal("admin,customer,manager,support", await _database.ScalarAsync<string>("select string_agg(name, ',' order by name) from roles"));
        Assert.Equal(34, await _database.ScalarAsync<int>("select count(*) from permissions"));
        Assert.Equal("customer", await _database.ScalarAsync<string>("select name from roles where is_default"));
        Assert.Equal(26, await GrantCountAsync("admin"));
        Assert.Equal(22, await GrantCountAsync("manager"));
        Assert.Equal(10, await GrantCountAsync("support"));
        Assert.Equal(8, await GrantCountAsync("customer"));
        Assert.True(await _database.ScalarAsync<bool>(
            "select exists (select 1 from role_permissions rp join roles r on r.id = rp.role_id join permissions p on p.id = rp.permission_id where r.name = $1 and p.name = $2)",
            AdministratorRule.Role, AdministratorRule.Permission));
        Assert.True(await _database.ScalarAsync<bool>(
            "select exists (select 1 from role_permissions rp join roles r on r.id = rp.role_id join permissions p on p.id = rp.permission_id where r.name = 'customer' and p.name = 'orders:create')"));
    }

    [Fact]
    public async Task Reapplying_the_reference_data_and_running_the_demo_seed_change_no_role_or_grant()
    {
        var before = await _database.ScalarAsync<string>(Snapshot);
        var counts = "select (select count(*) from roles) || '/' || (select count(*) from permissions) || '/' || (select count(*) from role_permissions)";
        var countsBefore = await _database.ScalarAsync<string>(counts);

        await _database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "sql", "migrations", "0046_reference_roles_permissions.sql")));
        await _database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "sql", "seed", "demo.sql")));

        Assert.Equal(before, await _database.ScalarAsync<string>(Snapshot));
        Assert.Equal(countsBefore, await _database.ScalarAsync<string>(counts));
        // The seed's only account is the imported B2B customer, which cannot sign in until invited;
        // every account that can sign in is made by the server (its password hashed there).
        Assert.Equal(0, await _database.ScalarAsync<int>("select count(*) from users where password_hash is not null"));
    }

    private Task<int> GrantCountAsync(string role) => _database.ScalarAsync<int>(
        "select count(*) from role_permissions rp join roles r on r.id = rp.role_id where r.name = $1", role);
}
