using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MestresCafe.Data.Migrations;

/// <summary>
/// Applies the numbered SQL files of <c>sql/migrations</c> in order, each once, each in its own
/// transaction, and records what it applied with a SHA-256 checksum.
/// </summary>
/// <remarks>
/// A small runner of our own rather than a library: servers start concurrently and race to migrate,
/// so the runner takes a PostgreSQL advisory lock for the whole run; a file and its bookkeeping row
/// commit atomically; and an applied file whose text changed is refused instead of silently
/// skipped. Those three rules fit in this class; the migration libraries served for .NET 10 give
/// either no checksum refusal or no cross-process lock.
/// </remarks>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // Any constant works; it only has to be the same for every process migrating this database.
    private const long AdvisoryLockKey = 0x4D43_4D49_4752; // "MCMIGR"

    private const string CreateHistoryTable = """
        create table if not exists schema_migrations (
            version      integer     primary key,
            name         text        not null,
            checksum     text        not null,
            applied_at   timestamptz not null default now(),
            execution_ms integer     not null
        )
        """;

    /// <summary>Applies every pending migration. Returns the migrations applied by this call.</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(MigrationSet migrations, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"select pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, CreateHistoryTable, cancellationToken);
            var applied = await ReadHistoryAsync(connection, cancellationToken);
            VerifyAppliedUnchanged(migrations, applied);

            var appliedNow = new List<Migration>();
            foreach (var migration in migrations.Items.Where(m => !applied.ContainsKey(m.Version)))
            {
                await ApplyOneAsync(connection, migration, cancellationToken);
                appliedNow.Add(migration);
            }

            logger.LogInformation(
                "Migrations: {Applied} applied now, {Total} known, database at version {Version}",
                appliedNow.Count, migrations.Items.Count, migrations.Items.LastOrDefault()?.Version ?? 0);
            return appliedNow;
        }
        finally
        {
            await ExecuteAsync(connection, $"select pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static void VerifyAppliedUnchanged(MigrationSet migrations, IReadOnlyDictionary<int, string> applied)
    {
        var changed = migrations.Items
            .Where(m => applied.TryGetValue(m.Version, out var checksum) && checksum != m.Checksum)
            .Select(m => m.FileName)
            .ToList();
        if (changed.Count > 0)
        {
            throw new MigrationChecksumMismatchException(changed);
        }
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                command.CommandTimeout = 600;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                "insert into schema_migrations (version, name, checksum, execution_ms) values ($1, $2, $3, $4)",
                connection, transaction))
            {
                record.Parameters.Add(new() { Value = migration.Version });
                record.Parameters.Add(new() { Value = migration.Name });
                record.Parameters.Add(new() { Value = migration.Checksum });
                record.Parameters.Add(new() { Value = (int)stopwatch.ElapsedMilliseconds });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied migration {File} in {Elapsed} ms", migration.FileName, stopwatch.ElapsedMilliseconds);
        }
        catch (PostgresException error)
        {
            throw new MigrationFailedException(migration.FileName, error);
        }
    }

    private static async Task<IReadOnlyDictionary<int, string>> ReadHistoryAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
            "select version, checksum from schema_migrations", cancellationToken: cancellationToken))).ToDictionary(m => m.Version, m => m.Checksum);

    private sealed record AppliedMigration(int Version, string Checksum);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
