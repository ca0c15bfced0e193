using MestresCafe.Api.Accounts;
using MestresCafe.Server.Reporting;
using MestresCafe.Testing;
using Microsoft.Extensions.Configuration;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>
/// <c>server admin create</c>, run in process against a database that starts empty: it applies the
/// migrations, creates or promotes the administrator, prints a generated password once, and refuses
/// bad input with exit code 2 and nothing written.
/// </summary>
public sealed class AdminCommandTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync(nameof(AdminCommandTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task It_migrates_an_empty_database_and_creates_the_administrator_with_a_password_shown_once()
    {
        var run = await RunAsync("admin", "create", "--email", " Gerencia@Mestres.Example ", "--name", "Joana da Silva");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Matches(@"^applied \d+ migration\(s\)$", run.Lines[0]);
        Assert.StartsWith("created administrator gerencia@mestres.example", run.Lines[1]);
        var password = run.Lines[2]["password (shown once, change it after signing in): ".Length..];
        Assert.Equal("Joana|da Silva|admin", await _database.ScalarAsync<string>(
            """
            select u.first_name || '|' || u.last_name || '|' || r.name
            from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
            where u.email = 'gerencia@mestres.example' and ur.expires_at is null
            """));
        Assert.True(PasswordHasher.Verify(password, await PasswordHashAsync("gerencia@mestres.example")));
        Assert.Null(AccountRules.NewPassword(password));

        // Run again: the existing administrator is kept, password unchanged and not shown again.
        var again = await RunAsync("admin", "create", "--email", "gerencia@mestres.example");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(["promoted administrator gerencia@mestres.example", "password unchanged"], again.Lines.Select(l => l.Split(" (")[0]).ToArray());
        Assert.True(PasswordHasher.Verify(password, await PasswordHashAsync("gerencia@mestres.example")));
        Assert.Equal(1, await _database.ScalarAsync<int>("select count(*) from users"));
    }

    [Fact]
    public async Task It_promotes_an_existing_customer_with_the_password_the_operator_chose()
    {
        Assert.Equal(0, (await RunAsync("admin", "create", "--email", "primeiro@mestres.example", "--password", "Escolhida-pelo-operador-1")).ExitCode);
        await _database.ExecuteAsync("insert into users (email, password_hash) values ('cliente@mestres.example', 'x')");
        await _database.ExecuteAsync("insert into user_roles (user_id, role_id) select u.id, r.id from users u, roles r where u.email = 'cliente@mestres.example' and r.name = 'customer'");

        var run = await RunAsync("admin", "create", "--email", "cliente@mestres.example", "--password", "Outra-senha-forte-2");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("promoted administrator cliente@mestres.example", run.Lines[0]);
        Assert.Equal("password replaced; 0 session(s) ended", run.Lines[1]);
        Assert.DoesNotContain(run.Lines, l => l.Contains("Outra-senha-forte-2", StringComparison.Ordinal));
        Assert.True(PasswordHasher.Verify("Outra-senha-forte-2", await PasswordHashAsync("cliente@mestres.example")));
        Assert.Equal("admin,customer", await _database.ScalarAsync<string>(
            "select string_agg(r.name, ',' order by r.name) from user_roles ur join roles r on r.id = ur.role_id join users u on u.id = ur.user_id where u.email = 'cliente@mestres.example'"));
        Assert.Equal("admin.create,admin.promote", await _database.ScalarAsync<string>("select string_agg(action, ',' order by id) from audit_logs"));
    }

    [Theory]
    [InlineData("--email is required", "admin", "create")]
    [InlineData("--email: The e-mail is not a valid address.", "admin", "create", "--email", "sem-arroba")]
    [InlineData("--password: The password has 10 to 128 characters.", "admin", "create", "--email", "a@mestres.example", "--password", "curta")]
    [InlineData("--password: The password must not be the e-mail.", "admin", "create", "--email", "longo@mestres.example", "--password", "longo@mestres.example")]
    [InlineData("admin create: unknown option '--role'", "admin", "create", "--email", "a@mestres.example", "--role", "admin")]
    [InlineData("admin create: --password needs a value", "admin", "create", "--email", "a@mestres.example", "--password")]
    [InlineData("usage: admin create", "admin", "delete")]
    [InlineData("usage: admin create", "admin")]
    public async Task Bad_input_exits_with_2_a_message_and_nothing_written(string message, params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Equal("", string.Join("", run.Lines));
        Assert.Equal(0, await _database.ScalarAsync<int>("select count(*) from pg_tables where schemaname = 'public'"));
    }

    [Fact]
    public async Task Without_a_database_setting_it_exits_with_2()
    {
        var run = await RunAsync(new ConfigurationBuilder().Build(), "admin", "create", "--email", "a@mestres.example");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ConnectionStrings:Postgres", run.Error);
    }

    private Task<CommandRun> RunAsync(params string[] args) => RunAsync(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = _database.ConnectionString }).Build(),
        args);

    private static async Task<CommandRun> RunAsync(IConfiguration configuration, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ServerCommands.RunAsync(args, configuration, output, error);
        return new CommandRun(exitCode, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error.ToString());
    }

    private Task<string> PasswordHashAsync(string email) => _database.ScalarAsync<string>("select password_hash from users where email = $1", email);

    private sealed record CommandRun(int ExitCode, string[] Lines, string Error);
}
