using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace MestresCafe.Api.Tests.Operations;

/// <summary>
/// The restore drill: a base backup with pgBackRest, orders A placed through the product, the time
/// noted, orders B placed, then scripts/restore.sh brings a copy of the cluster back to that time
/// and the product starts on it. Orders A are there with their stock and points, orders B are not,
/// and the grains (whose state lives in the same database) agree with the tables. Runs on a
/// PostgreSQL cluster of its own with archiving on, never on the shared one.
/// </summary>
public sealed class PointInTimeRestoreTests(ITestOutputHelper output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private const string Password = "Senha-de-teste-123";
    private const int InitialStock = 50;

    [Fact]
    public async Task A_restore_to_a_moment_brings_back_what_was_committed_before_it_and_nothing_after()
    {
        await using var source = await PostgresServerProcess.StartAsync(["archive_mode=on"]);
        using var backups = await BackupScripts.ForAsync(source);
        await using var database = await TestDatabase.CreateMigratedAsync(nameof(PointInTimeRestoreTests), source.ServerConnectionString);
        await database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sql", "seed", "demo.sql")));
        await DropTemplatesAsync(source);
        const string sku = "PITR-ITEM";
        await database.InsertItemAsync(sku, InitialStock, price: 80m);
        var email = $"pitr.{Guid.NewGuid():N}@example.com.br";
        var userId = await database.ScalarAsync<long>(
            "insert into users (email, password_hash, first_name, last_name) values ($1, $2, 'Cliente', 'Restaurado') returning id", email, PasswordHasher.Hash(Password));
        await database.ExecuteAsync($"insert into user_roles (user_id, role_id) select {userId}, id from roles where name = 'customer'; insert into customers (user_id) values ({userId})");

        Phase("private cluster, migrated database, demo data");

        // The base backup and the server's start overlap: the server writes no order before it is up.
        var serviceId = "pitr-" + Guid.NewGuid().ToString("N")[..8];
        var starting = StartServerAsync(database.ConnectionString, serviceId);
        try
        {
            await backups.BackupAsync("full");
        }
        catch
        {
            await (await starting).DisposeAsync();
            throw;
        }

        Phase("base backup");
        State afterA;
        string[] ordersA, ordersB;
        string target;
        await using (var before = await starting)
        {
            Phase("server started");
            using var customer = await SignInAsync(before.BaseAddress, email);
            using var gateway = new HttpClient { BaseAddress = before.BaseAddress };
            ordersA = [await PlacePaidOrderAsync(customer, gateway, sku, 2), await PlacePaidOrderAsync(customer, gateway, sku, 3)];
            // The time is noted once everything orders A cause has reached the tables (projections,
            // points): a restore to it must find all of it.
            afterA = await SettledStateAsync(database.DataSource, customer, sku, userId);
            Assert.Equal(InitialStock - 5, afterA.Stock);
            Assert.True(afterA.Points > 0, "orders A earned no points");
            Assert.Equal(ordersA.Order(), afterA.PaidOrders.Order());
            target = await NowWithZoneAsync(database.ConnectionString);
            Phase($"orders A placed and settled; target {target}");

            ordersB = [await PlacePaidOrderAsync(customer, gateway, sku, 4)];
            var afterB = await SettledStateAsync(database.DataSource, customer, sku, userId);
            Assert.Equal(InitialStock - 9, afterB.Stock);
            Assert.True(afterB.Points > afterA.Points, "order B earned no points: the drill would not tell the restore from no restore");
            Phase("orders B placed and settled");
        }

        await using var restored = await PostgresServerProcess.StartFromAsync(folder => backups.RestoreAsync(target, folder));
        var restoredConnection = new NpgsqlConnectionStringBuilder(restored.ServerConnectionString) { Database = database.Name }.ConnectionString;
        await using var restoredData = NpgsqlDataSource.Create(restoredConnection);
        // PostgreSQL opens for reads while it replays; the product needs it open for writes.
        Assert.True(await Eventually.TrueAsync(async () => !await ScalarAsync<bool>(restoredData, "select pg_is_in_recovery()"), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100)),
            "the restored cluster did not finish recovery");
        Phase("restored and recovered");

        // A new cluster id (the silo that wrote the backup is gone), the same service id (grain state
        // and reminders are keyed by it), and a cache that knows nothing of the store after the target.
        await using var after = await StartServerAsync(restoredConnection, serviceId);
        Phase("server started on the restored copy");
        using var restoredCustomer = await SignInAsync(after.BaseAddress, email);
        var restoredState = await StateAsync(restoredData, restoredCustomer, sku, userId);
        Assert.Equal(afterA.Stock, restoredState.Stock);
        Assert.Equal(afterA.Points, restoredState.Points);
        Assert.Equal(ordersA.Order(), restoredState.PaidOrders.Order());
        foreach (var number in ordersA)
        {
            var order = await restoredCustomer.GetJsonAsync($"/api/orders/{number}");
            Assert.Equal("paid", order.GetProperty("status").GetString(), ignoreCase: true);
        }

        foreach (var number in ordersB)
        {
            using var missing = await restoredCustomer.GetAsync($"/api/orders/{number}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.Equal(0L, await ScalarAsync<long>(restoredData, $"select count(*) from orders where order_number = '{ordersB[0]}'"));

        // The restored store takes orders again from the restored stock.
        using var restoredGateway = new HttpClient { BaseAddress = after.BaseAddress };
        await PlacePaidOrderAsync(restoredCustomer, restoredGateway, sku, 1);
        Assert.Equal(afterA.Stock - 1, await StoreSteps.AvailableAsync(restoredCustomer, sku));
        Phase("checked");
    }

    /// <summary>How long each step took, in the test's output: the drill's time is mostly two server starts.</summary>
    private void Phase(string step) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {step}");

    /// <summary>What the drill compares: the stock and points as the grains answer them, checked against the tables, and the paid orders in the table.</summary>
    private sealed record State(int Stock, int Points, string[] PaidOrders);

    private static async Task<State> StateAsync(NpgsqlDataSource data, HttpClient customer, string sku, long userId)
    {
        var stock = await StoreSteps.AvailableAsync(customer, sku);
        var points = (await customer.GetJsonAsync("/api/loyalty/me")).GetProperty("balance").GetInt32();
        Assert.Equal(stock, await TableStockAsync(data, sku));
        Assert.Equal(points, await TablePointsAsync(data, userId));
        return new State(stock, points, await PaidOrdersAsync(data, userId));
    }

    /// <summary>Waits until the tables caught up with the grains (projections and points are written after the call returned).</summary>
    private static async Task<State> SettledStateAsync(NpgsqlDataSource data, HttpClient customer, string sku, long userId)
    {
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            var stock = await StoreSteps.AvailableAsync(customer, sku);
            var points = (await customer.GetJsonAsync("/api/loyalty/me")).GetProperty("balance").GetInt32();
            var orders = await ScalarAsync<long>(data, $"select count(*) from orders where user_id = {userId}");
            return stock == await TableStockAsync(data, sku) && points == await TablePointsAsync(data, userId)
                && orders == (await PaidOrdersAsync(data, userId)).Length;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)), "the tables did not catch up with the grains");
        return await StateAsync(data, customer, sku, userId);
    }

    private static Task<int> TableStockAsync(NpgsqlDataSource data, string sku) =>
        ScalarAsync<int>(data, $"select i.quantity_available from inventory i join products p on p.id = i.product_id where p.sku = '{sku}'");

    private static Task<int> TablePointsAsync(NpgsqlDataSource data, long userId) =>
        ScalarAsync<int>(data, $"select coalesce((select l.points_balance from customer_loyalty l join customers c on c.id = l.customer_id where c.user_id = {userId}), 0)");

    private static async Task<string[]> PaidOrdersAsync(NpgsqlDataSource data, long userId) =>
        (await ScalarAsync<string>(data, $"select coalesce(string_agg(order_number, ',' order by order_number), '') from orders where user_id = {userId} and status = 'paid'"))
        .Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The database's clock, in the form an operator gives restore.sh: local time with its zone, as in "2026-12-01 14:03:00-03".</summary>
    private static async Task<string> NowWithZoneAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Timezone = "America/Sao_Paulo", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select clock_timestamp()::text", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The migrated template the database was cloned from is of no use on a cluster of one test,
    /// and would double what the backup copies and the restore writes.
    /// </summary>
    private static async Task DropTemplatesAsync(PostgresServerProcess cluster)
    {
        await using var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cluster.ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        var templates = await ScalarAsync<string>(admin, @"select coalesce(string_agg(datname, ','), '') from pg_database where datname like 'mc\_tpl\_%'");
        foreach (var template in templates.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            await using var drop = admin.CreateCommand($"drop database \"{template}\" with (force)");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static Task<ServerProcess> StartServerAsync(string connectionString, string serviceId)
    {
        var cluster = serviceId + "-" + Guid.NewGuid().ToString("N")[..6];
        return ServerProcess.StartAsync(connectionString, cluster, settings: new Dictionary<string, string>
        {
            ["Orleans__ServiceId"] = serviceId,
            ["Redis__KeyPrefix"] = $"test:{cluster}:",
            ["Database__MigrateOnStartup"] = "false",
            ["RateLimits__Enabled"] = "false",
        });
    }

    private static async Task<HttpClient> SignInAsync(Uri server, string email)
    {
        var http = new HttpClient { BaseAddress = server };
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        Assert.True(response.IsSuccessStatusCode, $"login: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        return http;
    }

    private static async Task<string> PlacePaidOrderAsync(HttpClient customer, HttpClient gateway, string sku, int quantity)
    {
        var order = await StoreSteps.PlaceOrderAsync(customer, sku, quantity, "pitr-" + Guid.NewGuid().ToString("N"));
        var number = order.GetProperty("orderNumber").GetString()!;
        using var captured = await StoreSteps.PostWebhookAsync(gateway, number, order, "payment.captured", "evt_" + Guid.NewGuid().ToString("N"));
        Assert.Equal("processed", (await captured.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        return number;
    }
}
