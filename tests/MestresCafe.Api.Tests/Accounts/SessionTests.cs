using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>Opaque session tokens: storage, refresh rotation with reuse detection, logout, the session list.</summary>
public sealed class SessionTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>, IDisposable
{
    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Only_hashes_of_the_tokens_are_stored()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        var tokens = await LoginOkAsync(_http, email);

        Assert.Equal(43, tokens.AccessToken.Length);
        Assert.Equal(0, await _host.Database.ScalarAsync<int>(
            "select count(*) from user_sessions where session_token = $1 or refresh_token = $2", tokens.AccessToken, tokens.RefreshToken));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from user_sessions where session_token = $1 and refresh_token = $2 and is_active",
            Sha256(tokens.AccessToken), Sha256(tokens.RefreshToken)));
    }

    [Fact]
    public async Task Refresh_rotates_both_tokens_and_ends_the_old_session()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        var first = await LoginOkAsync(_http, email);

        var second = await RefreshOkAsync(first.RefreshToken);

        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        using var oldAccess = await GetMeAsync(_http, first.AccessToken);
        using var newAccess = await GetMeAsync(_http, second.AccessToken);
        await AssertProblemAsync(oldAccess, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, newAccess.StatusCode);
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(distinct family_id) from user_sessions where session_token in ($1, $2)", Sha256(first.AccessToken), Sha256(second.AccessToken)));
    }

    [Fact]
    public async Task A_reused_refresh_token_ends_every_session_of_its_family_but_not_other_logins()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        var stolen = await LoginOkAsync(_http, email);
        var otherDevice = await LoginOkAsync(_http, email);
        var legit = await RefreshOkAsync(stolen.RefreshToken);
        var legitAgain = await RefreshOkAsync(legit.RefreshToken);

        using var replay = await RefreshAsync(stolen.RefreshToken);

        var problem = await AssertProblemAsync(replay, HttpStatusCode.Unauthorized);
        Assert.Contains("already used", problem.GetProperty("detail").GetString());
        using var afterReplay = await GetMeAsync(_http, legitAgain.AccessToken);
        await AssertProblemAsync(afterReplay, HttpStatusCode.Unauthorized);
        using var refreshAfterReplay = await RefreshAsync(legitAgain.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refreshAfterReplay.StatusCode);
        using var other = await GetMeAsync(_http, otherDevice.AccessToken);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from user_sessions where session_token = $1 and revoked_reason = 'refresh_reuse'", Sha256(legitAgain.AccessToken)));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>("select count(*) from audit_logs where action = 'session.refresh_reuse'"));
    }

    [Fact]
    public async Task Logout_ends_that_session_only_and_its_refresh_token_with_it()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        var phone = await LoginOkAsync(_http, email);
        var laptop = await LoginOkAsync(_http, email);
        using (var before = await GetMeAsync(_http, phone.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var logout = await SendAsync(_http, HttpMethod.Post, "/api/auth/logout", phone.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var after = await GetMeAsync(_http, phone.AccessToken);
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", after.Headers.WwwAuthenticate.ToString());
        using var refresh = await RefreshAsync(phone.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        using var stillIn = await GetMeAsync(_http, laptop.AccessToken);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Fact]
    public async Task The_session_list_shows_my_sessions_and_another_users_session_is_a_404()
    {
        var mine = NewEmail();
        var theirs = NewEmail();
        var me = await RegisterAsync(_http, mine);
        var other = await RegisterAsync(_http, theirs);
        var otherSessionId = await _host.Database.ScalarAsync<long>("select id from user_sessions where session_token = $1", Sha256(other.AccessToken));

        using var list = await SendAsync(_http, HttpMethod.Get, "/api/me/sessions", me.AccessToken);
        using var revokeTheirs = await SendAsync(_http, HttpMethod.Delete, $"/api/me/sessions/{otherSessionId}", me.AccessToken);
        using var revokeMissing = await SendAsync(_http, HttpMethod.Delete, "/api/me/sessions/999999999", me.AccessToken);

        var sessions = await list.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Single(sessions.EnumerateArray());
        Assert.True(sessions[0].GetProperty("current").GetBoolean());
        await AssertProblemAsync(revokeTheirs, HttpStatusCode.NotFound);
        await AssertProblemAsync(revokeMissing, HttpStatusCode.NotFound);
        using var theirsStillIn = await GetMeAsync(_http, other.AccessToken);
        Assert.Equal(HttpStatusCode.OK, theirsStillIn.StatusCode);
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Bad_or_unknown_credentials_are_401_problem_details(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await _http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_session_past_its_expiry_is_refused()
    {
        var email = NewEmail();
        var tokens = await RegisterAsync(_http, email);
        using (var cached = await GetMeAsync(_http, tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        await _host.Database.ScalarAsync<int>(
            "update user_sessions set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' where session_token = $1 returning 1",
            Sha256(tokens.AccessToken));
        // The cache entry's TTL ends with the session; dropping it stands for that TTL running out.
        await RemoveCachedSessionAsync(tokens.AccessToken);

        using var expired = await GetMeAsync(_http, tokens.AccessToken);
        await AssertProblemAsync(expired, HttpStatusCode.Unauthorized);
    }

    private async Task RemoveCachedSessionAsync(string accessToken)
    {
        var redis = (StackExchange.Redis.IConnectionMultiplexer)_host.Services.GetService(typeof(StackExchange.Redis.IConnectionMultiplexer))!;
        var key = _host.RedisKeyPrefix + "session:" + Sha256(accessToken);
        await redis.GetDatabase().KeyDeleteAsync(key);
        // The server's memory of the session too (its lifetime also ends with the session).
        ((MestresCafe.Api.Security.LocalCache)_host.Services.GetService(typeof(MestresCafe.Api.Security.LocalCache))!).Remove([key]);
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        _http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    private async Task<Tokens> RefreshOkAsync(string refreshToken)
    {
        using var response = await RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }

    internal static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
