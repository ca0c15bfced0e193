using System.Net;
using System.Net.Http.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Connections;
using Npgsql;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Health;

/// <summary>
/// A server holds the PostgreSQL connections Database:MaxPoolSize allows, however many requests
/// arrive: the API, the projections, grain state and reminders share one named pool, membership has
/// its own small one, and no provider opens a pool of its own beside them.
/// </summary>
public sealed class PostgresPoolTests : IAsyncLifetime
{
    private const int PoolSize = 3;
    private readonly ApiTestHost _host = new ApiTestHost().With("Database:MaxPoolSize", "3");

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Under_concurrent_cart_adds_the_server_holds_no_more_than_its_pool_bound()
    {
        var host = _host;
        var sku = await host.NewItemAsync(stock: 500);
        // The test's own connections (item insert) are not the server's.
        host.Database.DataSource.Clear();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            using var visitor = host.CreateClient();
            using var response = await visitor.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });
            return response.StatusCode;
        }));
        var held = await ConnectionsByApplicationAsync(host);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.InRange(held.GetValueOrDefault(PostgresPoolOptions.ServerApplicationName), 1, PoolSize);
        Assert.InRange(held.GetValueOrDefault(PostgresPoolOptions.MembershipApplicationName), 0, PostgresPoolOptions.MembershipPoolSize);
        Assert.Empty(held.Keys.Except([PostgresPoolOptions.ServerApplicationName, PostgresPoolOptions.MembershipApplicationName]));
    }

    private static async Task<Dictionary<string, int>> ConnectionsByApplicationAsync(ApiTestHost host)
    {
        var own = new NpgsqlConnectionStringBuilder(host.Database.ConnectionString) { Pooling = false, ApplicationName = "pool-test" };
        await using var connection = new NpgsqlConnection(own.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select application_name, count(*)::int from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() group by 1",
            connection);
        var held = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            held[reader.GetString(0)] = reader.GetInt32(1);
        }

        return held;
    }
}
