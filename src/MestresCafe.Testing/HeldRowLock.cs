using Npgsql;

namespace MestresCafe.Testing;

/// <summary>
/// A row lock held by the test in a transaction of its own, to line concurrent writers up behind
/// it: start them, wait until PostgreSQL shows each one waiting for a lock, release. They then run
/// one after the other in an order nobody chose, and an assertion over the outcome holds for every
/// order, with no sleep. Writers that do not take the lock never wait, and the wait times out.
/// </summary>
public sealed class HeldRowLock : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private HeldRowLock(NpgsqlDataSource dataSource, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _dataSource = dataSource;
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Runs <paramref name="lockingSql"/> (a <c>select ... for update</c>) and keeps its transaction open.</summary>
    public static async Task<HeldRowLock> TakeAsync(NpgsqlDataSource dataSource, string lockingSql, params object[] parameters)
    {
        var connection = await dataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(lockingSql, connection, transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
        return new HeldRowLock(dataSource, connection, transaction);
    }

    /// <summary>True once exactly <paramref name="count"/> sessions of this database wait for a lock in a <c>for update</c>.</summary>
    public Task<bool> WaitersAsync(int count) => Eventually.TrueAsync(async () =>
    {
        // A command of its own each time: inside one transaction pg_stat_activity is a snapshot.
        await using var command = _dataSource.CreateCommand(
            "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%for update%'");
        return (long)(await command.ExecuteScalarAsync())! == count;
    });

    public Task ReleaseAsync() => _transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
