using MestresCafe.Data.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MestresCafe.Server.Administration;

/// <summary>
/// <c>server migrate</c>: applies the pending migrations and exits. A deployment runs it once, as a
/// Job, before it rolls out servers of the new version (deploy/k8s/migrate-job.yaml), so that the
/// servers start with Database__MigrateOnStartup=false and never wait on schema changes. Under the
/// same advisory lock as the servers' own start-up migration, so the two never race.
/// Exit codes: 0 done (or nothing to do), 2 no connection string, 1 the database refused or is unreachable.
/// </summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        if (configuration.GetConnectionString("Postgres") is not { Length: > 0 } connectionString)
        {
            await error.WriteLineAsync("migrate: ConnectionStrings:Postgres is not set (ConnectionStrings__Postgres)");
            return 2;
        }

        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var applied = await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationSet.Default());
            foreach (var migration in applied)
            {
                await output.WriteLineAsync($"applied {migration.Name}");
            }

            await output.WriteLineAsync(applied.Count == 0 ? "the schema is up to date" : $"applied {applied.Count} migration(s)");
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            await error.WriteLineAsync($"migrate: {ex.Message}");
            return 1;
        }
    }
}
