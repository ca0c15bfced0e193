using System.Net;
using System.Security.Claims;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using MestresCafe.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// The named middleware policy the checkout endpoints use (<c>.RequireRateLimiting(RateLimitPolicies.Checkout)</c>),
/// on a minimal app: per user when signed in, per address always, and open when Redis is unreachable.
/// </summary>
public sealed class CheckoutRateLimitPolicyTests
{
    [Fact]
    public async Task Each_user_has_a_window_and_the_address_has_one_over_all_users()
    {
        await using var app = await StartAsync(TestEnvironment.Redis);
        using var http = app.GetTestClient();

        var alice = await SendAsync(http, "alice", 3);
        var bob = await SendAsync(http, "bob", 3);
        var carol = await SendAsync(http, "carol", 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], alice);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], bob);
        // Four admitted requests filled the address's window of four.
        Assert.Equal([HttpStatusCode.TooManyRequests], carol);
    }

    [Fact]
    public async Task A_rejection_is_a_problem_with_retry_after()
    {
        await using var app = await StartAsync(TestEnvironment.Redis);
        using var http = app.GetTestClient();
        await SendAsync(http, "dave", 2);

        using var rejected = await PostAsync(http, "dave");

        await AssertProblemAsync(rejected, HttpStatusCode.TooManyRequests);
        Assert.InRange(RetryAfterSeconds(rejected), 1, 60);
    }

    [Fact]
    public async Task With_redis_down_requests_are_admitted()
    {
        using var redis = await RedisServerProcess.StartAsync();
        await using var app = await StartAsync(redis.ConnectionString);
        using var http = app.GetTestClient();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await SendAsync(http, "erin", 3));

        redis.Stop();

        Assert.All(await SendAsync(http, "erin", 5), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    private static async Task<WebApplication> StartAsync(string redis)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:KeyPrefix"] = "test:" + Guid.NewGuid().ToString("N")[..10] + ":",
            ["RateLimits:Checkout:PerIp:PermitLimit"] = "4",
            ["RateLimits:Checkout:PerUser:PermitLimit"] = "2",
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section);
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        options.AsyncTimeout = 1000;
        builder.Services.AddSingleton<IConnectionMultiplexer>(await ConnectionMultiplexer.ConnectAsync(options));
        builder.Services.AddSingleton<RedisGuard>();
        builder.AddMestresRateLimiting();

        var app = builder.Build();
        // Stands in for the session handler: the user named in a header is signed in.
        app.Use((context, next) =>
        {
            if (context.Request.Headers["X-Test-User"].ToString() is { Length: > 0 } name)
            {
                var id = (Math.Abs(name.GetHashCode(StringComparison.Ordinal)) % 100_000 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(MestresClaims.UserId, id)], "test"));
            }

            return next(context);
        });
        app.UseRateLimiter();
        app.MapPost("/checkout", () => TypedResults.Ok()).RequireRateLimiting(RateLimitPolicies.Checkout);
        await app.StartAsync();
        return app;
    }

    private static async Task<List<HttpStatusCode>> SendAsync(HttpClient http, string user, int times)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            using var response = await PostAsync(http, user);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/checkout");
        request.Headers.Add("X-Test-User", user);
        return http.SendAsync(request);
    }
}
