using System.Diagnostics;
using System.Net.Http.Json;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// A server answers profiles (and sessions) from memory only while it hears its heartbeat back
/// through Redis: with Redis hung, a profile changed meanwhile is not served from memory once
/// Sessions:LocalCacheTrustWindow has passed since the hang began.
/// </summary>
public sealed class ProfileMemoryTrustTests : IAsyncLifetime
{
    private static readonly TimeSpan TrustWindow = TimeSpan.FromSeconds(1);
    // The clock a server compares with ticks in milliseconds; a little more than that is enough.
    private static readonly TimeSpan ClockGranularity = TimeSpan.FromMilliseconds(100);

    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(ProfileMemoryTrustTests));
        await _database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sql", "seed", "demo.sql")));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task With_redis_hung_a_profile_is_not_answered_from_memory_past_the_trust_window()
    {
        using var redis = await RedisServerProcess.StartAsync();
        var cluster = "trust-" + Guid.NewGuid().ToString("N")[..8];
        await using var server = await ServerProcess.StartAsync(_database.ConnectionString, cluster, redis: redis.ConnectionString,
            settings: new Dictionary<string, string>
            {
                ["Redis__KeyPrefix"] = cluster + ":",
                ["Sessions__LocalCacheLifetime"] = "00:01:00",
                ["Sessions__LocalCacheTrustWindow"] = TrustWindow.ToString("c"),
            });
        using var http = await CatalogTestData.SignInAsync(_database, server.BaseAddress, "customer");
        var userId = (await http.GetFromJsonAsync<Profile>("/api/me"))!.Id;
        await _database.ScalarAsync<long>("insert into customers (user_id) values ($1) returning id", userId); // profiles without one are not kept

        // The server answers from memory: a name written behind its back (no message) is not seen.
        var remembered = "";
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            remembered = (await http.GetFromJsonAsync<Profile>("/api/me"))!.FirstName;
            await _database.ScalarAsync<int>("update users set first_name = $1 where id = $2 returning 1", remembered + "x", userId);
            return (await http.GetFromJsonAsync<Profile>("/api/me"))!.FirstName == remembered;
        }), "the server never answered the profile from memory");

        redis.Pause();
        var hung = Stopwatch.StartNew();
        try
        {
            // Every heartbeat it can have heard was sent before the hang: the window is the bound itself.
            await Task.Delay(TrustWindow + ClockGranularity);
            var during = (await http.GetFromJsonAsync<Profile>("/api/me"))!;
            Assert.Equal(remembered + "x", during.FirstName);
            Assert.True(hung.Elapsed >= TrustWindow);
        }
        finally
        {
            redis.Resume();
        }
    }

    private sealed record Profile(long Id, string FirstName);
}
