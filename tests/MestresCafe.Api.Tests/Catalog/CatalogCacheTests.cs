using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Catalog;

/// <summary>
/// The catalog cache across real server processes: an update on one server is seen by another
/// (L1 memory caches invalidated through the Redis backplane), and the catalog keeps serving from
/// PostgreSQL when Redis is gone. The "in stock" flag follows a stock change across zero made on
/// another server well within the response TTL (5 min) and the data TTL (1 h).
/// </summary>
public sealed class CatalogCacheTests(CatalogCacheTests.Servers servers) : IClassFixture<CatalogCacheTests.Servers>
{
    private const string StockSlug = "moedor-hario-skerton-pro";
    private const string StockSku = "HRO-MSS-1DTB";

    private readonly TestDatabase _database = servers.Database;

    /// <summary>
    /// The demo store and two servers of one cluster sharing a Redis key prefix, for the class: the
    /// tests that use the pair change different products. The others start a server of their own.
    /// </summary>
    public sealed class Servers : IAsyncLifetime
    {
        public TestDatabase Database { get; private set; } = null!;
        public ServerProcess A { get; private set; } = null!;
        public ServerProcess B { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Database = await TestDatabase.CreateMigratedAsync(nameof(CatalogCacheTests));
            await Database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sql", "seed", "demo.sql")));
            var cluster = "cache-" + Guid.NewGuid().ToString("N")[..8];
            var settings = new Dictionary<string, string> { ["Redis__KeyPrefix"] = $"test:{cluster}:" };
            A = await ServerProcess.StartAsync(Database.ConnectionString, cluster, settings: settings);
            B = await ServerProcess.StartAsync(Database.ConnectionString, cluster, settings: settings);
        }

        public async Task DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_update_on_one_server_is_seen_by_another_servers_cached_reads()
    {
        var (a, b) = (servers.A, servers.B);
        using var readerB = new HttpClient { BaseAddress = b.BaseAddress };
        using var admin = await CatalogTestData.SignInAsync(_database, a.BaseAddress, "manager");
        const string detail = "/api/catalog/products/hario-v60-ceramica-02";
        const string list = "/api/catalog/products?brand=hario&sort=name";

        var before = await readerB.GetJsonAsync(detail);
        _ = await readerB.GetJsonAsync(detail);
        _ = await readerB.GetJsonAsync(list);
        var id = before.GetProperty("id").GetInt64();

        using var update = await admin.PatchAsJsonAsync($"/api/admin/catalog/products/{id}", new { name = "Hario V60 Cerâmica 02 Branco", price = 199.90m });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        // The backplane message is asynchronous: poll B, bounded.
        var seen = await Eventually.TrueAsync(async () => (await readerB.GetJsonAsync(detail)).GetProperty("name").GetString() == "Hario V60 Cerâmica 02 Branco");
        Assert.True(seen, $"server B still serves the old product detail\nserver A said:\n{a.WarningsAndErrors()}\nserver B said:\n{b.WarningsAndErrors()}");
        Assert.Equal(199.90m, (await readerB.GetJsonAsync(detail)).GetProperty("price").GetDecimal());
        var listed = (await readerB.GetJsonAsync(list)).GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == id);
        Assert.Equal(199.90m, listed.GetProperty("price").GetDecimal());

        // Cache metrics of server A: the first read misses the response cache and finds the data B
        // put in Redis (or reads PostgreSQL); the second is a response hit.
        // Counted as the difference over exactly these two reads, so nothing else A served can pass for them.
        using var readerA = new HttpClient { BaseAddress = a.BaseAddress };
        var countsBefore = CacheCounts(await admin.GetJsonAsync("/api/admin/metrics/cache"));
        _ = await readerA.GetJsonAsync(detail);
        _ = await readerA.GetJsonAsync(detail);
        var metrics = await admin.GetJsonAsync("/api/admin/metrics/cache");
        var countsAfter = CacheCounts(metrics);
        // One data lookup (the response miss), one response miss, one response hit.
        Assert.Equal(
            (1L, 1L, 1L),
            (countsAfter.DataLookups - countsBefore.DataLookups, countsAfter.ResponseMisses - countsBefore.ResponseMisses,
             countsAfter.ResponseHits - countsBefore.ResponseHits));
        Assert.InRange(metrics.GetProperty("response").GetProperty("hitRate").GetDouble(), 0.0, 1.0);
    }

    [Fact]
    public async Task With_redis_down_the_catalog_is_served_from_postgres()
    {
        using var redis = await RedisServerProcess.StartAsync();
        // The client's own timeouts made long (20 s): a read that waited on them instead of going around
        // Redis would take that long, far over the bound below, which is loose for a busy machine.
        var slowClient = redis.ConnectionString + ",connectTimeout=20000,syncTimeout=20000,asyncTimeout=20000";
        await using var server = await ServerProcess.StartAsync(_database.ConnectionString, "noredis-" + Guid.NewGuid().ToString("N")[..8], redis: slowClient);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        _ = await http.GetJsonAsync("/api/catalog/products/chemex-classica-6-xicaras");

        redis.Stop();

        var clock = Stopwatch.StartNew();
        var cached = await http.GetJsonAsync("/api/catalog/products/chemex-classica-6-xicaras");
        var uncachedDetail = await http.GetJsonAsync("/api/catalog/products/hario-v60-ceramica-02");
        var search = await http.GetJsonAsync("/api/catalog/products?q=cafe&pageSize=5");
        var tree = await http.GetJsonAsync("/api/catalog/categories");
        var brands = await http.GetJsonAsync("/api/catalog/brands");
        var again = await http.GetJsonAsync("/api/catalog/products?q=moedor");
        clock.Stop();

        Assert.Equal("chemex-classica-6-xicaras", cached.GetProperty("slug").GetString());
        Assert.Equal("hario-v60-ceramica-02", uncachedDetail.GetProperty("slug").GetString());
        Assert.True(search.GetProperty("totalCount").GetInt64() > 0);
        Assert.Equal(4, tree.GetArrayLength());
        Assert.Equal(11, brands.GetArrayLength());
        Assert.NotEmpty(again.Slugs());
        // No read waited on the dead Redis's client timeouts (the guard gives up after 250 ms, then goes around it).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"six reads took {clock.Elapsed}");
    }

    [Fact]
    public async Task With_caching_switched_off_the_catalog_reads_postgres_every_time()
    {
        await using var server = await ServerProcess.StartAsync(_database.ConnectionString, "nocache-" + Guid.NewGuid().ToString("N")[..8],
            settings: new Dictionary<string, string> { ["Catalog__Caching"] = "false", ["Redis__KeyPrefix"] = "test:nocache:" + Guid.NewGuid().ToString("N")[..8] + ":" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        const string slug = "filtro-chemex-quadrado-100";

        var first = await http.GetJsonAsync($"/api/catalog/products/{slug}");
        await _database.ExecuteAsync($"update products set short_description = 'Direto do banco' where slug = '{slug}'");
        var second = await http.GetJsonAsync($"/api/catalog/products/{slug}");

        Assert.NotEqual("Direto do banco", first.GetProperty("shortDescription").GetString());
        Assert.Equal("Direto do banco", second.GetProperty("shortDescription").GetString());
    }

    [Fact]
    public async Task Stock_crossing_zero_on_one_server_flips_the_other_servers_cached_flag_and_restock_brings_it_back()
    {
        var (a, b) = (servers.A, servers.B);
        using var readerB = new HttpClient { BaseAddress = b.BaseAddress };
        using var adminA = await CatalogTestData.SignInAsync(_database, a.BaseAddress, "manager");
        using var adminB = await CatalogTestData.SignInAsync(_database, b.BaseAddress, "manager");
        var stock = (await adminA.GetJsonAsync($"/api/admin/inventory/{StockSku}")).GetProperty("available").GetInt32();
        Assert.True(stock > 1);

        // Warm B's caches: data and responses of the detail and both lists.
        Assert.Equal((true, true, true), await StorefrontFlagsAsync(readerB));
        Assert.Equal((true, true, true), await StorefrontFlagsAsync(readerB));

        // Taking one unit leaves stock: B keeps answering from its cached responses.
        await AdjustAsync(adminA, -1, expectedMovements: 1);
        var hitsBefore = ResponseHits(await adminB.GetJsonAsync("/api/admin/metrics/cache"));
        Assert.Equal((true, true, true), await StorefrontFlagsAsync(readerB));
        Assert.Equal(hitsBefore + 3, ResponseHits(await adminB.GetJsonAsync("/api/admin/metrics/cache")));

        // The last units go: B says out of stock in the detail and the list, and the in-stock list drops it.
        await AdjustAsync(adminA, -(stock - 1), expectedMovements: 2);
        Assert.True(
            await Eventually.TrueAsync(async () => await StorefrontFlagsAsync(readerB) == (false, false, false)),
            $"server B still says in stock: {await StorefrontFlagsAsync(readerB)}\nserver A said:\n{a.WarningsAndErrors()}\nserver B said:\n{b.WarningsAndErrors()}");

        // A restock brings it back.
        using var restocked = await adminA.PostAsJsonAsync($"/api/admin/inventory/{StockSku}/restock", new { quantity = 5, notes = "Lote novo" });
        Assert.Equal(HttpStatusCode.OK, restocked.StatusCode);
        Assert.True(
            await Eventually.TrueAsync(async () => await StorefrontFlagsAsync(readerB) == (true, true, true)),
            $"server B still says out of stock: {await StorefrontFlagsAsync(readerB)}");
        using var readerA = new HttpClient { BaseAddress = a.BaseAddress };
        Assert.Equal((true, true, true), await StorefrontFlagsAsync(readerA));
    }

    /// <summary>The detail's flag, the list's flag, and whether the in-stock list holds the product.</summary>
    private static async Task<(bool Detail, bool Listed, bool InStockListed)> StorefrontFlagsAsync(HttpClient http)
    {
        var detail = (await http.GetJsonAsync("/api/catalog/products/" + StockSlug)).GetProperty("inStock").GetBoolean();
        var listed = (await http.GetJsonAsync("/api/catalog/products?brand=hario&sort=name")).GetProperty("items").EnumerateArray()
            .Single(p => p.GetProperty("slug").GetString() == StockSlug).GetProperty("inStock").GetBoolean();
        var inStockListed = (await http.GetJsonAsync("/api/catalog/products?brand=hario&inStock=true&sort=name")).Slugs().Contains(StockSlug);
        return (detail, listed, inStockListed);
    }

    /// <summary>Adjusts the stock and waits until the change is projected (its movement is listed).</summary>
    private static async Task AdjustAsync(HttpClient admin, int change, int expectedMovements)
    {
        using var adjusted = await admin.PostAsJsonAsync($"/api/admin/inventory/{StockSku}/adjust", new { quantityChange = change, reason = "damaged" });
        Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);
        Assert.True(
            await Eventually.TrueAsync(async () => (await admin.GetJsonAsync($"/api/admin/inventory/{StockSku}/movements")).GetArrayLength() == expectedMovements),
            "the adjustment was not projected");
    }

    private static long ResponseHits(JsonElement metrics) => metrics.GetProperty("response").GetProperty("hits").GetInt64();

    private static (long DataLookups, long ResponseMisses, long ResponseHits) CacheCounts(JsonElement metrics)
    {
        var data = metrics.GetProperty("data");
        var response = metrics.GetProperty("response");
        return (data.GetProperty("hits").GetInt64() + data.GetProperty("misses").GetInt64(),
            response.GetProperty("misses").GetInt64(), response.GetProperty("hits").GetInt64());
    }
}
