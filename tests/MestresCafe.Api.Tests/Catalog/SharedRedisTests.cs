using System.Net;
using System.Net.Http.Headers;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Catalog;

/// <summary>
/// Two deployments (say staging and production, or two stores) on one Redis: each reads only its
/// own entries, because every key starts with its service id unless Redis:KeyPrefix says otherwise.
/// </summary>
public sealed class SharedRedisTests : IAsyncLifetime
{
    private TestDatabase _storeDatabase = null!;
    private TestDatabase _freshDatabase = null!;

    public async Task InitializeAsync()
    {
        _storeDatabase = await TestDatabase.CreateMigratedAsync(nameof(SharedRedisTests));
        await _storeDatabase.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sql", "seed", "demo.sql")));
        _freshDatabase = await TestDatabase.CreateMigratedAsync(nameof(SharedRedisTests) + "_fresh");
    }

    public async Task DisposeAsync()
    {
        await _storeDatabase.DisposeAsync();
        await _freshDatabase.DisposeAsync();
    }

    [Fact]
    public async Task Two_deployments_on_one_redis_never_see_each_others_cache_or_sessions()
    {
        // One Redis of this test's own, and no Redis:KeyPrefix: the default is what is under test.
        using var redis = await RedisServerProcess.StartAsync();
        await using var store = await ServerProcess.StartAsync(_storeDatabase.ConnectionString, "store-" + Guid.NewGuid().ToString("N")[..8], redis: redis.ConnectionString);
        await using var fresh = await ServerProcess.StartAsync(_freshDatabase.ConnectionString, "fresh-" + Guid.NewGuid().ToString("N")[..8], redis: redis.ConnectionString);
        using var storeClient = await CatalogTestData.SignInAsync(_storeDatabase, store.BaseAddress, "customer");
        using var freshClient = new HttpClient { BaseAddress = fresh.BaseAddress };

        // The store caches its categories (memory and Redis) and its session (Redis).
        Assert.Equal(4, (await storeClient.GetJsonAsync("/api/catalog/categories")).GetArrayLength());
        using (var own = await storeClient.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        // The other deployment's database has no categories and no such session.
        Assert.Equal(0, (await freshClient.GetJsonAsync("/api/catalog/categories")).GetArrayLength());
        using var replayed = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        replayed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", storeClient.DefaultRequestHeaders.Authorization!.Parameter);
        using var stranger = await freshClient.SendAsync(replayed);
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
    }
}
