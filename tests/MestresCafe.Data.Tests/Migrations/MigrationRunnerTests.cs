using MestresCafe.Data.Migrations;
using MestresCafe.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MestresCafe.Data.Tests.Migrations;

public sealed class MigrationRunnerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync(nameof(MigrationRunnerTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private MigrationRunner Runner => new(_database.DataSource, NullLogger<MigrationRunner>.Instance);

    [Fact]
    public async Task All_migrations_apply_to_an_empty_database_and_are_recorded_with_checksums()
    {
        var migrations = MigrationSet.Default();

        var applied = await Runner.ApplyAsync(migrations);

        Assert.Equal(migrations.Items.Select(m => m.Version), applied.Select(m => m.Version));
        Assert.True(migrations.Items.Count >= 10, "expected the Orleans and domain migrations");
        Assert.Equal(migrations.Items.Count, await _database.ScalarAsync<int>("select count(*) from schema_migrations"));
        var recorded = await _database.ScalarAsync<string>("select checksum from schema_migrations order by version limit 1");
        Assert.Equal(migrations.Items[0].Checksum, recorded);
    }

    [Fact]
    public async Task A_second_run_changes_nothing()
    {
        await Runner.ApplyAsync(MigrationSet.Default());
        var tablesBefore = await CountTablesAsync();

        var applied = await Runner.ApplyAsync(MigrationSet.Default());

        Assert.Empty(applied);
        Assert.Equal(tablesBefore, await CountTablesAsync());
    }

    [Fact]
    public async Task An_applied_migration_whose_file_changed_is_refused()
    {
        using var folder = new TemporaryFolder();
        folder.Write("0001_first.sql", "create table first_table (id int primary key);");
        await Runner.ApplyAsync(MigrationSet.FromDirectory(folder.Path));

        folder.Write("0001_first.sql", "create table first_table (id int primary key, extra text);");
        folder.Write("0002_second.sql", "create table second_table (id int primary key);");
        var error = await Assert.ThrowsAsync<MigrationChecksumMismatchException>(
            () => Runner.ApplyAsync(MigrationSet.FromDirectory(folder.Path)));

        Assert.Equal(["0001_first.sql"], error.Files);
        Assert.Equal(0, await _database.ScalarAsync<int>("select count(*) from pg_tables where tablename = 'second_table'"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_of_itself_behind()
    {
        using var folder = new TemporaryFolder();
        folder.Write("0001_good.sql", "create table good_table (id int primary key);");
        folder.Write("0002_bad.sql", "create table half_table (id int primary key);\nselect * from no_such_table;");

        await Assert.ThrowsAsync<MigrationFailedException>(() => Runner.ApplyAsync(MigrationSet.FromDirectory(folder.Path)));

        Assert.Equal(1, await _database.ScalarAsync<int>("select count(*) from pg_tables where tablename = 'good_table'"));
        Assert.Equal(0, await _database.ScalarAsync<int>("select count(*) from pg_tables where tablename = 'half_table'"));
        Assert.Equal(1, await _database.ScalarAsync<int>("select count(*) from schema_migrations"));
    }

    [Fact]
    public async Task Concurrent_runners_apply_each_migration_once()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Runner.ApplyAsync(MigrationSet.Default())));

        Assert.Equal(MigrationSet.Default().Items.Count, runs.Sum(r => r.Count));
    }

    private Task<int> CountTablesAsync() =>
        _database.ScalarAsync<int>("select count(*) from pg_tables where schemaname = 'public'");

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("mc-migrations-").FullName;

        public void Write(string name, string text) => File.WriteAllText(System.IO.Path.Combine(Path, name), text);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
