using MestresCafe.Data.Accounts;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Accounts;

/// <summary>
/// The first administrator: the deployment's bootstrap creates one only while none exists, never
/// takes over an existing account, and two servers bootstrapping at once create one; the
/// operator's command creates or promotes.
/// </summary>
public sealed class AdministratorAccountStoreTests : IAsyncLifetime
{
    private const string LockAdministrators = $"select 1 from permissions where name = '{AdministratorRule.Permission}' for update";

    private TestDatabase _database = null!;
    private AdministratorAccountStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(AdministratorAccountStoreTests));
        _store = new AdministratorAccountStore(_database.DataSource);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_bootstrap_creates_the_first_administrator_and_never_overwrites_it()
    {
        Assert.Equal(BootstrapOutcome.Created, await _store.BootstrapAsync(Identity("primeira@example.com"), "hash-1", CancellationToken.None));
        Assert.Equal(BootstrapOutcome.AdministratorExists, await _store.BootstrapAsync(Identity("primeira@example.com"), "hash-2", CancellationToken.None));
        Assert.Equal(BootstrapOutcome.AdministratorExists, await _store.BootstrapAsync(Identity("outra@example.com"), "hash-3", CancellationToken.None));

        Assert.Equal("primeira@example.com|hash-1|admin", await _database.ScalarAsync<string>(
            "select string_agg(u.email || '|' || u.password_hash || '|' || r.name, ';') from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id"));
        Assert.Equal(1, await _database.ScalarAsync<int>("select count(*) from audit_logs where action = 'admin.bootstrap'"));
    }

    [Fact]
    public async Task The_bootstrap_does_not_take_over_an_account_registered_with_its_e_mail()
    {
        await _database.ExecuteAsync("insert into users (email, password_hash) values ('tomada@example.com', 'someone-elses')");

        Assert.Equal(BootstrapOutcome.EmailTaken, await _store.BootstrapAsync(Identity("tomada@example.com"), "hash", CancellationToken.None));

        Assert.Equal(0, await _database.ScalarAsync<int>("select count(*) from user_roles"));
        Assert.Equal("someone-elses", await _database.ScalarAsync<string>("select password_hash from users where email = 'tomada@example.com'"));
    }

    [Fact]
    public async Task Two_servers_bootstrapping_at_once_create_one_administrator()
    {
        await using var held = await HeldRowLock.TakeAsync(_database.DataSource, LockAdministrators);
        var first = _store.BootstrapAsync(Identity("juntos@example.com"), "hash-a", CancellationToken.None);
        var second = _store.BootstrapAsync(Identity("juntos@example.com"), "hash-b", CancellationToken.None);
        Assert.True(await held.WaitersAsync(2), "both bootstraps should wait for the administrators' lock");
        await held.ReleaseAsync();

        var outcomes = await Task.WhenAll(first, second);

        Assert.Equal([BootstrapOutcome.Created, BootstrapOutcome.AdministratorExists], outcomes.Order());
        Assert.Equal(1, await _database.ScalarAsync<int>("select count(*) from users"));
        Assert.Equal(1, await _database.ScalarAsync<int>("select count(*) from user_roles"));
    }

    [Fact]
    public async Task The_command_promotes_an_existing_user_and_a_chosen_password_ends_their_sessions()
    {
        var userId = await _database.ScalarAsync<long>("insert into users (email, password_hash, is_active) values ('antiga@example.com', 'old', false) returning id");
        await _database.ExecuteAsync(
            $"insert into user_sessions (user_id, session_token, expires_at) values ({userId}, '{new string('b', 64)}', now() + interval '1 hour')");
        await _database.ExecuteAsync(
            $"insert into user_roles (user_id, role_id, expires_at) select {userId}, id, now() + interval '1 day' from roles where name = 'admin'");

        var kept = await _store.CreateOrPromoteAsync(Identity("antiga@example.com"), null, "fallback", CancellationToken.None);
        Assert.Equal(new AdministratorCreated(userId, Created: false, UsedFallbackPassword: false, RevokedSessions: 0), kept);
        Assert.Equal("old|true|true|1", await StateAsync(userId));

        var replaced = await _store.CreateOrPromoteAsync(Identity("antiga@example.com"), "chosen", "fallback", CancellationToken.None);
        Assert.Equal(new AdministratorCreated(userId, Created: false, UsedFallbackPassword: false, RevokedSessions: 1), replaced);
        Assert.Equal("chosen|true|true|0", await StateAsync(userId));
        Assert.Equal("admin.promote,admin.promote", await _database.ScalarAsync<string>(
            "select string_agg(action, ',' order by id) from audit_logs where record_id = $1 and table_name = 'users'", userId));
    }

    [Fact]
    public async Task The_command_gives_a_new_user_the_fallback_password()
    {
        var created = await _store.CreateOrPromoteAsync(new AdministratorIdentity("nova@example.com", "Nova", "Pessoa"), null, "fallback", CancellationToken.None);

        Assert.True(created.Created);
        Assert.True(created.UsedFallbackPassword);
        Assert.Equal("fallback|true|true|0", await StateAsync(created.UserId));
        Assert.Equal("Nova Pessoa", await _database.ScalarAsync<string>("select first_name || ' ' || last_name from users where id = $1", created.UserId));
    }

    private static AdministratorIdentity Identity(string email) => new(email, "", "");

    // password hash | active | admin role without expiry | active sessions
    private Task<string> StateAsync(long userId) => _database.ScalarAsync<string>(
        """
        select u.password_hash || '|' || u.is_active || '|'
               || exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.name = 'admin' and ur.expires_at is null)
               || '|' || (select count(*) from user_sessions s where s.user_id = u.id and s.is_active)
        from users u where u.id = $1
        """, userId);
}
