using MestresCafe.Testing;
using System.Net;
using System.Net.Http.Json;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Security;

/// <summary>Redis is a cache and a limiter: without it sign-in, sessions and revocation keep working from PostgreSQL.</summary>
public sealed class RedisDownTests : IAsyncLifetime
{
    private RedisServerProcess _redis = null!;
    private ApiTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServerProcess.StartAsync();
        _host = new ApiTestHost().With("ConnectionStrings:Redis", _redis.ConnectionString);
        await _host.InitializeAsync();
        _http = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _redis.Dispose();
    }

    [Fact]
    public async Task Sign_in_sessions_and_logout_work_with_redis_down()
    {
        var email = NewEmail();
        var cached = await RegisterAsync(_http, email);
        using (var warm = await GetMeAsync(_http, cached.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        _redis.Stop();

        using (var fromPostgres = await GetMeAsync(_http, cached.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, fromPostgres.StatusCode);
        }

        var fresh = await LoginOkAsync(_http, email);
        using (var freshMe = await GetMeAsync(_http, fresh.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, freshMe.StatusCode);
        }

        using (var refreshed = await _http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = fresh.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }

        await RegisterAsync(_http, NewEmail());
        using (var logout = await SendAsync(_http, HttpMethod.Post, "/api/auth/logout", cached.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var afterLogout = await GetMeAsync(_http, cached.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }
}
