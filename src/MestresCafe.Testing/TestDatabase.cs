using MestresCafe.Data.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MestresCafe.Testing;

/// <summary>
/// A database of its own for one test class, cloned from a migrated template so that each class
/// starts from the full schema in a fraction of a second. Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    // Serializes template creation and cloning across test assemblies running in parallel:
    // PostgreSQL refuses to clone a template while another session is connected to it.
    private const long TemplateLockKey = 0x4D43_5445_4D50; // "MCTEMP"

    private readonly string _server;

    private TestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// A database with every migration applied, on the shared test server or on
    /// <paramref name="server"/> (a connection string without a database, e.g. a private cluster).
    /// </summary>
    /// <param name="fullDurability">
    /// Keep PostgreSQL's synchronous commit, as production runs: the load harness measures with it.
    /// A database on a private cluster (a fault test's, which crashes it) always keeps it.
    /// </param>
    public static async Task<TestDatabase> CreateMigratedAsync(string purpose, string? server = null, bool fullDurability = false)
    {
        var relaxDurability = server is null && !fullDurability;
        server ??= TestEnvironment.PostgresServer;
        var migrations = MigrationSet.Default();
        var template = "mc_tpl_" + Migration.ComputeChecksum(string.Concat(migrations.Items.Select(m => m.Checksum)))[..16];
        var name = NewName(purpose);
        await using var admin = await OpenAdminAsync(server);
        await ExecuteAsync(admin, $"select pg_advisory_lock({TemplateLockKey})");
        try
        {
            if (!await ExistsAsync(admin, template))
            {
                await CreateTemplateAsync(server, admin, template, migrations);
            }

            await ExecuteAsync(admin, $"create database \"{name}\" template \"{template}\"");
        }
        finally
        {
            await ExecuteAsync(admin, $"select pg_advisory_unlock({TemplateLockKey})");
        }

        if (relaxDurability)
        {
            await RelaxDurabilityAsync(admin, name);
        }

        return new TestDatabase(server, name);
    }

    /// <summary>An empty database: nothing applied.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(string purpose)
    {
        var name = NewName(purpose);
        var server = TestEnvironment.PostgresServer;
        await using var admin = await OpenAdminAsync(server);
        await ExecuteAsync(admin, $"create database \"{name}\"");
        await RelaxDurabilityAsync(admin, name);
        return new TestDatabase(server, name);
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Other pools still holding connections to this database (a disposed host's) are never used
        // again; the drop ends their sessions. Clearing every pool of the process would also close
        // the idle connections of the hosts other test classes are still running.
        await DataSource.DisposeAsync();
        await using var admin = await OpenAdminAsync(_server);
        await ExecuteAsync(admin, $"drop database if exists \"{Name}\" with (force)");
    }

    private static async Task CreateTemplateAsync(string server, NpgsqlConnection admin, string template, MigrationSet migrations)
    {
        var building = template + "_building";
        await ExecuteAsync(admin, $"drop database if exists \"{building}\" with (force)");
        await ExecuteAsync(admin, $"create database \"{building}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = building, Pooling = false }.ConnectionString;
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(migrations);
        }

        // Renamed only when complete, so a half-built template is never cloned.
        await ExecuteAsync(admin, $"alter database \"{building}\" rename to \"{template}\"");
    }

    /// <summary>
    /// Commits without waiting for the WAL flush, on the shared server only: a test database there never
    /// has to survive a crash of PostgreSQL (the tests that crash it run a private one, <see cref="PostgresServerProcess"/>,
    /// whose databases keep full durability: an acknowledged commit lost in their crash is a real failure),
    /// and thousands of flushes a run are time the suite spends on nothing it checks. A crash of a
    /// server process, which the crash tests do, loses nothing either way.
    /// </summary>
    private static Task RelaxDurabilityAsync(NpgsqlConnection admin, string database) =>
        ExecuteAsync(admin, $"alter database \"{database}\" set synchronous_commit = off");

    private static string NewName(string purpose) =>
        $"mc_test_{new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(22).ToArray())}_{Guid.NewGuid():N}";

    private static async Task<NpgsqlConnection> OpenAdminAsync(string server)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection admin, string database)
    {
        await using var command = new NpgsqlCommand("select exists (select 1 from pg_database where datname = $1)", admin);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }
}
