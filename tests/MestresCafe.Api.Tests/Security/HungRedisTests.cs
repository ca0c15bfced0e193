using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// A hung Redis (the process paused: its socket stays open and nothing answers, as in a network
/// partition) under steady traffic: requests go on without Redis after one short timeout, and Redis
/// is used again once it answers.
/// </summary>
public sealed class HungRedisTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Workers = 6;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AfterResume = TimeSpan.FromSeconds(3);
    // The guard's timeout is 250 ms; without it every request stalled 1.2-2 s. The bound is 1 s, or
    // four times the p90 of the same requests before the hang when the machine is so busy that
    // ordinary requests are slow too (other test assemblies run beside this one), plus the slowest
    // answer of a control stream that never touches Redis (the liveness probe) over the same
    // window: a stall of the whole machine or of this test process (seen once, 3 s, with the
    // suite's other assemblies busy) delays both streams alike, a Redis wait only the first.
    private static readonly TimeSpan LatencyBound = TimeSpan.FromSeconds(1);
    private const int BusyMachineFactor = 4;

    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(HungRedisTests));
        await _database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sql", "seed", "demo.sql")));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_hung_redis_costs_one_short_timeout_and_is_used_again_when_it_answers()
    {
        using var redis = await RedisServerProcess.StartAsync();
        var prefix = "hang-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var server = await ServerProcess.StartAsync(_database.ConnectionString, "hang-" + Guid.NewGuid().ToString("N")[..8],
            redis: redis.ConnectionString, settings: new Dictionary<string, string> { ["Redis__KeyPrefix"] = prefix });
        var clients = new List<HttpClient>();
        for (var i = 0; i < Workers; i++)
        {
            clients.Add(await CatalogTestData.SignInAsync(_database, server.BaseAddress, "customer"));
        }

        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        long pausedAt = 0;
        long resumedAt = 0;
        // Bounded load: each worker sends one request at a time until the run ends. Signed-in cart
        // reads need the session (Redis first); catalog pages no server has seen need the cache's Redis layer.
        var load = clients.Select((http, worker) => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var url = n % 2 == 0 ? "/api/cart" : $"/api/catalog/products?q=cafe&pageSize={worker + 1}&page={n / 2 % 1000 + 1}";
                var started = clock.Elapsed;
                int status;
                try
                {
                    using var response = await http.GetAsync(url);
                    status = (int)response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                lock (samples)
                {
                    samples.Add(new Sample(url, started, clock.Elapsed - started, status));
                }
            }
        })).ToArray();
        var control = new List<Sample>();
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        var probes = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                using var response = await anonymous.GetAsync("/health/live");
                lock (control)
                {
                    control.Add(new Sample("/health/live", started, clock.Elapsed - started, (int)response.StatusCode));
                }

                await Task.Delay(20);
            }
        });

        await Task.Delay(Warmup);
        redis.Pause();
        pausedAt = clock.ElapsedTicks;
        try
        {
            await Task.Delay(Hang);
        }
        finally
        {
            redis.Resume();
        }

        resumedAt = clock.ElapsedTicks;
        await Task.Delay(AfterResume);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await probes;

        var paused = TimeSpan.FromTicks(pausedAt * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        var resumed = TimeSpan.FromTicks(resumedAt * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        var failed = samples.Where(s => s.Status is 0 or >= 500).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} requests failed, first: {failed.FirstOrDefault()}");
        Assert.All(samples, s => Assert.Equal(200, s.Status));

        // After the first second of the hang every request goes around Redis.
        var hung = samples.Where(s => s.Started >= paused + TimeSpan.FromSeconds(1) && s.Started < resumed).Select(s => s.Elapsed).Order().ToList();
        Assert.True(hung.Count >= 30, $"only {hung.Count} requests were served during the hang");
        var p99 = hung[(int)Math.Ceiling(hung.Count * 0.99) - 1];
        var before = samples.Where(s => s.Started < paused).Select(s => s.Elapsed).Order().ToList();
        var beforeP90 = before.Count == 0 ? TimeSpan.Zero : before[(int)Math.Ceiling(before.Count * 0.9) - 1];
        var controlMax = control.Where(s => s.Started >= paused + TimeSpan.FromSeconds(1) && s.Started < resumed).Select(s => s.Elapsed).DefaultIfEmpty().Max();
        var bound = TimeSpan.FromTicks(Math.Max(LatencyBound.Ticks, beforeP90.Ticks * BusyMachineFactor)) + controlMax;
        output.WriteLine($"{samples.Count} requests; before the hang p90 {beforeP90.TotalMilliseconds:0} ms; during the hang {hung.Count}, p50 {hung[hung.Count / 2].TotalMilliseconds:0} ms, p99 {p99.TotalMilliseconds:0} ms, max {hung[^1].TotalMilliseconds:0} ms; liveness probes' max {controlMax.TotalMilliseconds:0} ms");
        var slowest = string.Join("; ", samples.Where(s => s.Started >= paused + TimeSpan.FromSeconds(1) && s.Started < resumed)
            .OrderByDescending(s => s.Elapsed).Take(5)
            .Select(s => $"{s.Url} at +{(s.Started - paused).TotalMilliseconds:0} ms took {s.Elapsed.TotalMilliseconds:0} ms"));
        // Every request goes around Redis: p95 within the bound, and at most one stall of the
        // requests in flight at one moment above it (seen once in CI: all six workers' requests
        // took 2.3 s together about 4 s into the hang while the liveness probes did not; its cause
        // is not known yet). Without the guard every request waits 1.2-2 s, which fails both.
        var p95 = hung[(int)Math.Ceiling(hung.Count * 0.95) - 1];
        var over = hung.Count(elapsed => elapsed >= bound);
        Assert.True(p95 < bound && over <= Workers, $"p95 {p95.TotalMilliseconds:0} ms, {over} over the bound, p99 {p99.TotalMilliseconds:0} ms over {hung.Count} requests during the hang (max {hung[^1].TotalMilliseconds:0} ms; bound {bound.TotalMilliseconds:0} ms, p90 before the hang {beforeP90.TotalMilliseconds:0} ms, liveness probes' max {controlMax.TotalMilliseconds:0} ms); slowest: {slowest}");

        // Redis answers again: a new session is cached there again (the breaker closes), bounded.
        using var probe = await CatalogTestData.SignInAsync(_database, server.BaseAddress, "customer");
        var key = prefix + "session:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(probe.DefaultRequestHeaders.Authorization!.Parameter!)));
        await using var direct = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            if (await direct.GetDatabase().KeyExistsAsync(key))
            {
                return true;
            }

            using var response = await probe.GetAsync("/api/cart");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return false;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)), "the server did not use Redis again after it resumed");
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private sealed record Sample(string Url, TimeSpan Started, TimeSpan Elapsed, int Status);
}
