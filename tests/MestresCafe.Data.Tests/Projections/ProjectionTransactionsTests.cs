using MestresCafe.Data.Projections;
using MestresCafe.Testing;
using Npgsql;

namespace MestresCafe.Data.Tests.Projections;

/// <summary>
/// Projection work of many grains shares transactions (<see cref="ProjectionTransactions"/>): every
/// piece that completes is committed, pieces that arrive together commit together, and a piece that
/// fails fails alone while the rest of its transaction lands.
/// </summary>
public sealed class ProjectionTransactionsTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(ProjectionTransactionsTests));
        await _database.ExecuteAsync("create table projected (id int primary key, writer text not null)");
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Pieces_arriving_together_share_transactions_and_each_is_committed_when_it_completes()
    {
        await using var transactions = new ProjectionTransactions(_database.DataSource);
        const int Pieces = 400;
        var completed = await Task.WhenAll(Enumerable.Range(1, Pieces).Select(async id =>
        {
            await transactions.RunAsync((connection, transaction, token) => InsertAsync(connection, transaction, id, "piece", token), CancellationToken.None);
            // Completed means committed: another connection sees the row at once.
            return await _database.ScalarAsync<long>("select count(*) from projected where id = $1", id);
        }));

        Assert.All(completed, count => Assert.Equal(1, count));
        var (shared, carried) = transactions.Counts;
        Assert.Equal(Pieces, carried);
        Assert.True(shared < Pieces / 2, $"{Pieces} pieces took {shared} transactions");
    }

    [Fact]
    public async Task A_piece_the_database_refuses_fails_alone_and_the_rest_of_its_transaction_lands()
    {
        await using var transactions = new ProjectionTransactions(_database.DataSource);
        await _database.ExecuteAsync("insert into projected (id, writer) values (1000, 'before')");
        // A slow first piece holds the queue's one transaction in flight while the others pile up behind it.
        var first = transactions.RunAsync(async (connection, transaction, token) =>
        {
            await using var sleep = new NpgsqlCommand("select pg_sleep(0.3)", connection, transaction);
            await sleep.ExecuteNonQueryAsync(token);
        }, CancellationToken.None);
        var pieces = Enumerable.Range(1001, 20)
            .Select(id => transactions.RunAsync((connection, transaction, token) => InsertAsync(connection, transaction, id, "piece", token), CancellationToken.None))
            .Append(transactions.RunAsync((connection, transaction, token) => InsertAsync(connection, transaction, 1000, "duplicate", token), CancellationToken.None))
            .ToList();
        await first;

        var refused = await Assert.ThrowsAsync<PostgresException>(() => pieces[^1]);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        await Task.WhenAll(pieces.SkipLast(1));
        Assert.Equal(21, await _database.ScalarAsync<long>("select count(*) from projected where id between 1000 and 1020"));
        Assert.Equal("before", await _database.ScalarAsync<string>("select writer from projected where id = 1000"));
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int id, string writer, CancellationToken token)
    {
        await using var insert = new NpgsqlCommand("insert into projected (id, writer) values ($1, $2)", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = id });
        insert.Parameters.Add(new NpgsqlParameter { Value = writer });
        await insert.ExecuteNonQueryAsync(token);
    }
}
