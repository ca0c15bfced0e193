using MestresCafe.Data.Cart;
using MestresCafe.Data.Projections;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Cart;

/// <summary>
/// shopping_cart follows a cart's lines change by change (<see cref="CartProjectionStore"/>): the
/// rows always equal the last lines given, other owners' rows are untouched, and a line that did
/// not change keeps its row (and so its created_at).
/// </summary>
public sealed class CartProjectionStoreTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private CartProjectionStore _store = null!;
    private long _a, _b, _c, _variantProduct, _variant;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(CartProjectionStoreTests));
        _store = new CartProjectionStore(ProjectionTransactions.OneEach(_database.DataSource));
        _a = await _database.InsertItemAsync("CPS-A", 5);
        _b = await _database.InsertItemAsync("CPS-B", 5);
        _c = await _database.InsertItemAsync("CPS-C", 5);
        _variantProduct = await _database.InsertItemAsync("CPS-V", 5);
        _variant = await _database.ScalarAsync<long>(
            "insert into product_variants (product_id, name, sku, price) values ($1, '250 g', 'CPS-V-250', 30) returning id", _variantProduct);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_users_rows_follow_each_change_and_unchanged_lines_keep_their_row()
    {
        var user = await _database.InsertUserAsync();
        var other = await _database.InsertUserAsync();
        await _store.ReplaceAsync(other, null, [new(_a, null, 9)], default);

        await _store.ReplaceAsync(user, null, [new(_a, null, 1)], default);
        var firstRow = await _database.ScalarAsync<long>("select id from shopping_cart where user_id = $1 and product_id = $2", user, _a);
        await _store.ReplaceAsync(user, null, [new(_a, null, 1), new(_b, null, 2), new(_variantProduct, _variant, 3)], default);
        Assert.Equal($"{_a}::1,{_b}::2,{_variantProduct}:{_variant}:3", await RowsAsync(user));

        await _store.ReplaceAsync(user, null, [new(_a, null, 1), new(_variantProduct, _variant, 4), new(_c, null, 1)], default);
        Assert.Equal($"{_a}::1,{_c}::1,{_variantProduct}:{_variant}:4", await RowsAsync(user));
        Assert.Equal(firstRow, await _database.ScalarAsync<long>("select id from shopping_cart where user_id = $1 and product_id = $2", user, _a));

        await _store.ReplaceAsync(user, null, [], default);
        Assert.Equal("", await RowsAsync(user));
        Assert.Equal($"{_a}::9", await RowsAsync(other));
    }

    [Fact]
    public async Task A_visitors_rows_follow_the_cart_and_leave_a_user_with_the_same_lines_alone()
    {
        var user = await _database.InsertUserAsync();
        await _store.ReplaceAsync(user, null, [new(_a, null, 2)], default);

        await _store.ReplaceAsync(null, "visitor-1", [new(_a, null, 1), new(_b, null, 1)], default);
        await _store.ReplaceAsync(null, "visitor-1", [new(_b, null, 5)], default);

        Assert.Equal($"{_b}::5", await _database.ScalarAsync<string>(
            "select coalesce(string_agg(product_id || ':' || coalesce(variant_id::text, '') || ':' || quantity, ',' order by product_id), '') from shopping_cart where session_id = 'visitor-1' and user_id is null"));
        Assert.Equal($"{_a}::2", await RowsAsync(user));
    }

    private Task<string> RowsAsync(long user) => _database.ScalarAsync<string>(
        "select coalesce(string_agg(product_id || ':' || coalesce(variant_id::text, '') || ':' || quantity, ',' order by product_id, variant_id), '') from shopping_cart where user_id = $1",
        user);
}
