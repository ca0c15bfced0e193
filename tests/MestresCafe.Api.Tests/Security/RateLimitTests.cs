using System.Net;
using System.Net.Http.Json;
using MestresCafe.Api.Tests.Accounts;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Security;

public sealed class SmallRateLimitsHostFixture : AccountHostFixture
{
    protected override ApiTestHost Configure(ApiTestHost host) => host
        .With("Accounts:Lockout:IpThreshold", "10000")
        .With("RateLimits:Login:PerIp:PermitLimit", "5")
        .With("RateLimits:Login:PerUser:PermitLimit", "3")
        .With("RateLimits:Registration:PerIp:PermitLimit", "2")
        .With("RateLimits:PasswordReset:PerUser:PermitLimit", "2");
}

/// <summary>
/// Redis sliding windows per client address and per account. Each test uses addresses of its own
/// (X-Forwarded-For), so the windows of one test never hold another's requests.
/// </summary>
public sealed class RateLimitTests(SmallRateLimitsHostFixture fixture) : IClassFixture<SmallRateLimitsHostFixture>, IDisposable
{
    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Login_beyond_the_per_account_limit_is_429_with_retry_after_and_recorded()
    {
        var email = NewEmail();
        await RegisterFromAsync("192.0.2.1", email);

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await LoginFromAsync(_http, "192.0.2.1", email, "Senha-errada-1");
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var limited = await LoginFromAsync(_http, "192.0.2.2", email, Password);
        using var otherAccount = await LoginFromAsync(_http, "192.0.2.1", NewEmail(), Password);

        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.InRange(RetryAfterSeconds(limited), 1, 60);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAccount.StatusCode);
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from login_attempts where email = $1 and failure_reason = 'rate_limited'", email));
    }

    [Fact]
    public async Task Login_beyond_the_per_address_limit_is_429_for_any_account()
    {
        for (var i = 0; i < 5; i++)
        {
            using var allowed = await LoginFromAsync(_http, "192.0.2.10", NewEmail(), "Senha-errada-1");
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var limited = await LoginFromAsync(_http, "192.0.2.10", NewEmail(), "Senha-errada-1");
        using var otherAddress = await LoginFromAsync(_http, "192.0.2.11", NewEmail(), "Senha-errada-1");

        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.InRange(RetryAfterSeconds(limited), 1, 60);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAddress.StatusCode);
    }

    [Fact]
    public async Task Registration_beyond_the_per_address_limit_is_429_and_creates_nothing()
    {
        await RegisterFromAsync("192.0.2.20", NewEmail());
        await RegisterFromAsync("192.0.2.20", NewEmail());
        var third = NewEmail();

        using var limited = await PostFromAsync("192.0.2.20", "/api/auth/register", new { email = third, password = Password, firstName = "Zé" });

        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.True(RetryAfterSeconds(limited) >= 1);
        Assert.Equal(0, await _host.Database.ScalarAsync<int>("select count(*) from users where email = $1", third));
    }

    [Fact]
    public async Task Password_reset_beyond_the_per_account_limit_is_429_for_known_and_unknown_emails_alike()
    {
        var known = NewEmail();
        await RegisterFromAsync("192.0.2.30", known);
        var unknown = NewEmail("ninguem");

        var answers = new List<HttpStatusCode>();
        foreach (var email in new[] { known, known, known, unknown, unknown, unknown })
        {
            using var response = await PostFromAsync("192.0.2.30", "/api/auth/password-reset", new { email });
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
                Assert.True(RetryAfterSeconds(response) >= 1);
            }
        }

        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests],
            answers);
        Assert.Equal(2, await _host.Database.ScalarAsync<int>(
            "select count(*) from password_resets p join users u on u.id = p.user_id where u.email = $1", known));
    }

    private async Task RegisterFromAsync(string ip, string email)
    {
        using var response = await PostFromAsync(ip, "/api/auth/register", new { email, password = Password, firstName = "Zé" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostFromAsync(string ip, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", ip);
        return _http.SendAsync(request);
    }
}
