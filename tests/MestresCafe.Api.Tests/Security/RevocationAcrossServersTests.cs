using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Api.Tests.Accounts;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using StackExchange.Redis;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// A second server, a separate process sharing the database and the Redis key prefix, honours a
/// logout, a revocation, a role change or a change of what a role grants made through the first one
/// on its very next request, although it keeps sessions it validated in memory (for a minute here,
/// so that only the Redis message can make it let go in time).
/// </summary>
public sealed class RevocationAcrossServersTests(RevocationAcrossServersTests.Servers servers) : IClassFixture<RevocationAcrossServersTests.Servers>
{
    private readonly ApiTestHost _first = servers.First;
    private readonly ServerProcess _second = servers.Second;
    private readonly HttpClient _firstHttp = servers.FirstHttp;
    private readonly HttpClient _secondHttp = servers.SecondHttp;

    /// <summary>
    /// The two servers, shared by the class: every test signs in accounts of its own, so none sees
    /// another's sessions.
    /// </summary>
    public sealed class Servers : IAsyncLifetime
    {
        public ApiTestHost First { get; } = new ApiTestHost().With("RateLimits:Enabled", "false").With("Sessions:LocalCacheTrustWindow", "00:00:30");
        public ServerProcess Second { get; private set; } = null!;
        public HttpClient FirstHttp { get; private set; } = null!;
        public HttpClient SecondHttp { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await First.InitializeAsync();
            Second = await ServerProcess.StartAsync(First.Database.ConnectionString, "revoke-" + Guid.NewGuid().ToString("N")[..8], settings: new Dictionary<string, string>
            {
                ["Redis__KeyPrefix"] = First.RedisKeyPrefix,
                ["Database__MigrateOnStartup"] = "false",
                ["RateLimits__Enabled"] = "false",
                ["Sessions__LocalCacheLifetime"] = "00:01:00",
                ["Sessions__LocalCacheTrustWindow"] = "00:00:30",
            });
            FirstHttp = First.CreateClient();
            SecondHttp = new HttpClient { BaseAddress = Second.BaseAddress };
        }

        public async Task DisposeAsync()
        {
            FirstHttp.Dispose();
            SecondHttp.Dispose();
            await Second.DisposeAsync();
            await First.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_logout_on_one_server_is_seen_by_the_other_at_once()
    {
        var tokens = await RegisterAsync(_firstHttp, NewEmail());
        // The second server validates (and caches) the session before the logout.
        using (var before = await GetMeAsync(_secondHttp, tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);
        var key = _first.RedisKeyPrefix + "session:" + SessionTests.Sha256(tokens.AccessToken);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.True(ttl <= TimeSpan.FromHours(24));

        using var logout = await SendAsync(_firstHttp, HttpMethod.Post, "/api/auth/logout", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        using var after = await GetMeAsync(_secondHttp, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType?.MediaType);
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task A_session_the_other_server_holds_in_memory_is_refused_there_at_once_after_a_logout()
    {
        var tokens = await RegisterAsync(_firstHttp, NewEmail());
        using (var validated = await GetMeAsync(_secondHttp, tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        }

        // A revoked marker written behind the servers' backs, with no message: the first server reads
        // Redis and refuses; the second still answers from memory. So memory is really in use below.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);
        var key = _first.RedisKeyPrefix + "session:" + SessionTests.Sha256(tokens.AccessToken);
        var entry = await redis.GetDatabase().StringGetAsync(key);
        await redis.GetDatabase().StringSetAsync(key, "revoked", TimeSpan.FromMinutes(1));
        using (var onFirst = await GetMeAsync(_firstHttp, tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, onFirst.StatusCode);
        }

        using (var fromMemory = await GetMeAsync(_secondHttp, tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, fromMemory.StatusCode);
        }

        // The real logout on the first server: the second drops its copy before its next request.
        await redis.GetDatabase().StringSetAsync(key, entry, TimeSpan.FromMinutes(1));
        using (var logout = await SendAsync(_firstHttp, HttpMethod.Post, "/api/auth/logout", tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var after = await GetMeAsync(_secondHttp, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_profile_edit_a_role_change_and_a_login_on_one_server_are_seen_on_the_other_at_once()
    {
        using var admin = await _first.CreateSignedInClientAsync("admin");
        using var customer = await _first.CreateSignedInClientAsync("customer");
        using var onSecond = OnSecond(customer.AccessToken);

        // First, that the second server answers the profile from its memory: a name written behind
        // the servers' backs (no message) is not seen there while its copy lasts.
        var remembered = "";
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            remembered = (await onSecond.GetFromJsonAsync<Profile>("/api/me"))!.FirstName;
            await _first.Database.ScalarAsync<int>("update users set first_name = $1 where id = $2 returning 1", remembered + "x", customer.UserId);
            return (await onSecond.GetFromJsonAsync<Profile>("/api/me"))!.FirstName == remembered;
        }), "the second server never answered the profile from memory");

        using (var edit = await customer.Http.PatchAsJsonAsync("/api/me", new { firstName = "Renomeada" }))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        var edited = (await onSecond.GetFromJsonAsync<Profile>("/api/me"))!;
        Assert.Equal("Renomeada", edited.FirstName);
        Assert.DoesNotContain("manager", edited.Roles);

        using (var grant = await admin.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/manager", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        }

        var granted = (await onSecond.GetFromJsonAsync<Profile>("/api/me"))!;
        Assert.Contains("manager", granted.Roles);

        using (var login = await _firstHttp.PostAsJsonAsync("/api/auth/login", new { email = customer.Email, password = customer.Password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var signedInAgain = (await onSecond.GetFromJsonAsync<Profile>("/api/me"))!;
        Assert.True(signedInAgain.LastLogin > granted.LastLogin, $"last login {signedInAgain.LastLogin:O}, before {granted.LastLogin:O}");

        using (var revoke = await admin.Http.DeleteAsync($"/api/admin/users/{customer.UserId}/roles/manager"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        Assert.DoesNotContain("manager", (await onSecond.GetFromJsonAsync<Profile>("/api/me"))!.Roles);
    }

    [Fact]
    public async Task A_profile_kept_in_memory_does_not_outlive_a_role_expiry()
    {
        using var admin = await _first.CreateSignedInClientAsync("admin");
        using var customer = await _first.CreateSignedInClientAsync("customer");
        using var onSecond = OnSecond(customer.AccessToken);
        // Kept for a minute on the second server, but no longer than the role: no message tells of an expiry.
        // The first read must be answered while the role holds; if a busy machine answered it later, the
        // grant is made again, twice as long.
        var expiresAt = DateTimeOffset.MinValue;
        for (var window = TimeSpan.FromSeconds(3); ; window *= 2)
        {
            expiresAt = DateTimeOffset.UtcNow + window;
            using (var grant = await admin.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/manager", new { expiresAt }))
            {
                Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
            }

            var roles = (await onSecond.GetFromJsonAsync<Profile>("/api/me"))!.Roles;
            if (DateTimeOffset.UtcNow < expiresAt)
            {
                Assert.Contains("manager", roles);
                break;
            }

            Assert.True(window < TimeSpan.FromMinutes(1), "no grant could be read before it expired");
        }

        var untilExpired = expiresAt - DateTimeOffset.UtcNow;
        if (untilExpired > TimeSpan.Zero)
        {
            await Task.Delay(untilExpired + TimeSpan.FromMilliseconds(50));
        }

        Assert.DoesNotContain("manager", (await onSecond.GetFromJsonAsync<Profile>("/api/me"))!.Roles);
    }

    [Fact]
    public async Task A_body_over_the_account_endpoints_limit_is_413_on_a_real_server()
    {
        var before = await _first.Database.ScalarAsync<long>("select count(*) from users");
        var body = System.Text.Json.JsonSerializer.Serialize(new { email = NewEmail(), password = Password, firstName = new string('a', 1_000_000) });

        using var response = await PostRawAsync(_secondHttp, "/api/auth/register", body);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await _first.Database.ScalarAsync<long>("select count(*) from users"));
    }

    [Fact]
    public async Task An_admin_revocation_and_a_role_change_on_one_server_apply_on_the_other()
    {
        using var admin = await _first.CreateSignedInClientAsync("admin");
        using var customer = await _first.CreateSignedInClientAsync("customer");
        using var onSecond = OnSecond(customer.AccessToken);
        using (var before = await onSecond.GetAsync("/api/admin/users"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        using (var grant = await admin.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/manager", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        }

        using (var granted = await onSecond.GetAsync("/api/admin/users"))
        {
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        }

        using (var revoke = await admin.Http.PostAsync($"/api/admin/users/{customer.UserId}/sessions/revoke", null))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using var revoked = await onSecond.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task A_permission_granted_to_and_revoked_from_a_role_on_one_server_applies_on_the_other()
    {
        using var admin = await _first.CreateSignedInClientAsync("admin");
        using var customer = await _first.CreateSignedInClientAsync("customer");
        var role = "leitor_" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await admin.Http.PostAsJsonAsync("/api/admin/roles", new { name = role }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var assigned = await admin.Http.PutAsJsonAsync($"/api/admin/users/{customer.UserId}/roles/{role}", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        }

        using var onSecond = new HttpClient { BaseAddress = _second.BaseAddress };
        onSecond.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", customer.AccessToken);
        // The second server caches the session with the role's (empty) grants first.
        using (var before = await onSecond.GetAsync("/api/admin/users"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        using (var grant = await admin.Http.PutAsync($"/api/admin/roles/{role}/permissions/users:read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, grant.StatusCode);
        }

        using (var granted = await onSecond.GetAsync("/api/admin/users"))
        {
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        }

        using (var revoke = await admin.Http.DeleteAsync($"/api/admin/roles/{role}/permissions/users:read"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var revoked = await onSecond.GetAsync("/api/admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, revoked.StatusCode);
    }

    [Fact]
    public async Task A_server_process_hashes_passwords_at_the_recommended_work_factor()
    {
        // This test process hashes with a small work factor (PasswordWorkFactor); a real server never does.
        var email = NewEmail();
        await SignUpAsync(_secondHttp, email);

        Assert.Equal(
            $"pbkdf2-sha256${PasswordHasher.RecommendedIterations}",
            await _first.Database.ScalarAsync<string>("select split_part(password_hash, '$', 1) || '$' || split_part(password_hash, '$', 2) from users where email = $1", email));
    }

    /// <summary>A client of the second server carrying a session signed in on the first.</summary>
    private HttpClient OnSecond(string accessToken)
    {
        var http = new HttpClient { BaseAddress = _second.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    private sealed record Profile(string FirstName, IReadOnlyList<string> Roles, DateTimeOffset? LastLogin);
}
