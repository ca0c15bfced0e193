using MestresCafe.Data.GrainState;
using MestresCafe.Testing;
using Npgsql;

namespace MestresCafe.Data.Tests.GrainState;

/// <summary>
/// <see cref="GrainStateBatchStore"/> runs the provider's write query for many grains in one
/// transaction: a version conflict fails only its own write, an error rolls back the whole batch.
/// </summary>
public sealed class GrainStateBatchStoreTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private GrainStateBatchStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(GrainStateBatchStoreTests));
        _store = new GrainStateBatchStore(_database.DataSource);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_batch_creates_and_updates_rows_and_a_stale_version_fails_alone()
    {
        var created = await _store.WriteAsync([Write("a", null, 1), Write("b", null, 1)], default);
        Assert.Equal(new int?[] { 1, 1 }, created);

        var next = await _store.WriteAsync([Write("a", 1, 2), Write("b", 7, 2), Write("c", null, 2), Write("a", null, 3)], default);

        Assert.Equal(new int?[] { 2, null, 1, null }, next);
        Assert.Equal("a:2:2,b:1:1,c:1:2", await RowsAsync());
    }

    [Fact]
    public async Task An_error_in_one_write_rolls_back_the_whole_batch()
    {
        // PostgreSQL refuses a NUL character in text: the second statement fails.
        var error = await Assert.ThrowsAsync<PostgresException>(() => _store.WriteAsync([Write("d", null, 1), Write("bad\0", null, 1), Write("e", null, 1)], default));

        Assert.Equal(PostgresErrorCodes.CharacterNotInRepertoire, error.SqlState);
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from orleansstorage where graintypestring in ('d', 'e')"));
    }

    [Fact]
    public async Task Only_an_order_rows_write_time_moves_so_other_grains_writes_are_heap_only_updates()
    {
        await _store.WriteAsync([Write("order", null, 1), Write("cart", null, 1)], default);
        var before = await WrittenAsync();
        await _database.ExecuteAsync("select pg_sleep(0.01)");

        for (var version = 1; version <= 20; version++)
        {
            Assert.Equal(new int?[] { version + 1, version + 1 }, await _store.WriteAsync([Write("order", version, 2), Write("cart", version, 2)], default));
        }

        var after = await WrittenAsync();
        Assert.True(after.Order > before.Order, "the order row's modifiedon did not move: the order sweeper would not see the write");
        Assert.Equal(before.Cart, after.Cart);
        // The writes' connections report their statistics when they close.
        _database.DataSource.Clear();
        Assert.True(await Eventually.TrueAsync(async () => await _database.ScalarAsync<long>(
                "select n_tup_hot_upd from pg_stat_user_tables where relname = 'orleansstorage'") >= 20, TimeSpan.FromSeconds(15)),
            "the cart row's writes were not heap-only updates");
    }

    private async Task<(DateTime Order, DateTime Cart)> WrittenAsync() =>
        (await _database.ScalarAsync<DateTime>("select modifiedon from orleansstorage where serviceid = 'test-service' and graintypestring = 'order'"),
         await _database.ScalarAsync<DateTime>("select modifiedon from orleansstorage where serviceid = 'test-service' and graintypestring = 'cart'"));

    private static GrainStateWrite Write(string type, int? version, byte payload) =>
        new("test-service", type.Length, type, 42, 0, 7, null, version, [payload]);

    private async Task<string> RowsAsync() =>
        await _database.ScalarAsync<string>(
            "select string_agg(graintypestring || ':' || version || ':' || get_byte(payloadbinary, 0), ',' order by graintypestring) from orleansstorage where serviceid = 'test-service'");
}
