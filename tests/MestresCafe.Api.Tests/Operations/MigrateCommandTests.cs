using MestresCafe.Data.Migrations;
using MestresCafe.Server.Reporting;
using MestresCafe.Testing;
using Microsoft.Extensions.Configuration;

namespace MestresCafe.Api.Tests.Operations;

/// <summary>
/// <c>server migrate</c>, the command the Kubernetes migration Job runs before a rollout: it brings
/// an empty database to the current schema, does nothing the second time, and exits with 2 without
/// a connection string.
/// </summary>
public sealed class MigrateCommandTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync(nameof(MigrateCommandTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task It_applies_every_migration_once_and_then_reports_the_schema_up_to_date()
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = _database.ConnectionString };
        var migrations = MigrationSet.Default().Items.Count;

        var (first, firstOutput, _) = await MigrateAsync(settings);
        var (second, secondOutput, _) = await MigrateAsync(settings);

        Assert.Equal(0, first);
        Assert.EndsWith($"applied {migrations} migration(s)", firstOutput.TrimEnd());
        Assert.Equal(migrations, await _database.ScalarAsync<int>("select count(*) from schema_migrations"));
        Assert.Equal(0, second);
        Assert.Equal("the schema is up to date", secondOutput.Trim());
    }

    [Fact]
    public async Task Without_a_connection_string_it_exits_with_2()
    {
        var (exitCode, _, error) = await MigrateAsync([]);

        Assert.Equal(2, exitCode);
        Assert.Contains("ConnectionStrings:Postgres", error);
    }

    private static async Task<(int ExitCode, string Output, string Error)> MigrateAsync(Dictionary<string, string?> settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ServerCommands.RunAsync(["migrate"], new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
