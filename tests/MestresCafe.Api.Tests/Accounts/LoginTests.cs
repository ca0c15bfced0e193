using System.Net;
using System.Net.Http.Json;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>Login, the login_attempts record and the account lockout with its growing interval.</summary>
public sealed class LoginTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>, IDisposable
{
    // Rate limits and the IP lock are other classes' subject: here every attempt reaches the account rules.
    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Login_with_the_right_password_returns_tokens_and_records_a_successful_attempt()
    {
        var email = NewEmail();
        await SignUpAsync(_http, email);

        var tokens = await LoginOkAsync(_http, email.ToUpperInvariant());

        Assert.Equal("Bearer", tokens.TokenType);
        Assert.NotEqual(tokens.AccessToken, tokens.RefreshToken);
        Assert.True(tokens.ExpiresAt > DateTimeOffset.UtcNow && tokens.RefreshExpiresAt > tokens.ExpiresAt);
        using var me = await GetMeAsync(_http, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from login_attempts where email = $1 and success and failure_reason is null", email));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from users where email = $1 and last_login is not null", email));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_401_and_are_recorded()
    {
        var email = NewEmail();
        await SignUpAsync(_http, email);
        var unknown = NewEmail("ninguem");

        using var wrong = await LoginAsync(_http, email, "Senha-errada-999");
        using var nobody = await LoginAsync(_http, unknown, "Senha-errada-999");

        var wrongProblem = await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized);
        var nobodyProblem = await AssertProblemAsync(nobody, HttpStatusCode.Unauthorized);
        Assert.Equal(wrongProblem.GetProperty("title").GetString(), nobodyProblem.GetProperty("title").GetString());
        Assert.Equal("invalid_credentials", await _host.Database.ScalarAsync<string>(
            "select failure_reason from login_attempts where email = $1 and not success", email));
        Assert.Equal("unknown_user", await _host.Database.ScalarAsync<string>(
            "select failure_reason from login_attempts where email = $1 and not success", unknown));
    }

    [Fact]
    public async Task Attempts_record_ip_and_user_agent()
    {
        var email = NewEmail();
        await SignUpAsync(_http, email);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password = Password }) };
        request.Headers.UserAgent.ParseAdd("MestresApp/1.0");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("MestresApp/1.0 203.0.113.7", await _host.Database.ScalarAsync<string>(
            "select user_agent || ' ' || host(ip_address) from login_attempts where email = $1 and success", email));
        Assert.Equal("MestresApp/1.0 203.0.113.7", await _host.Database.ScalarAsync<string>(
            "select s.user_agent || ' ' || host(s.ip_address) from user_sessions s join users u on u.id = s.user_id where u.email = $1 order by s.id desc limit 1", email));
    }

    [Fact]
    public async Task Five_failures_lock_the_account_with_423_and_retry_after_even_for_the_right_password()
    {
        var email = NewEmail();
        await SignUpAsync(_http, email);

        for (var i = 0; i < 5; i++)
        {
            using var failure = await LoginAsync(_http, email, "Senha-errada-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }

        using var locked = await LoginAsync(_http, email, Password);

        await AssertProblemAsync(locked, (HttpStatusCode)423);
        Assert.InRange(RetryAfterSeconds(locked), 50, 60);
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from login_attempts where email = $1 and failure_reason = 'locked_out'", email));
        Assert.Equal(0, await _host.Database.ScalarAsync<int>("select count(*) from login_attempts where email = $1 and success", email));
    }

    [Fact]
    public async Task The_lock_interval_doubles_at_each_further_threshold()
    {
        var email = NewEmail();
        await SignUpAsync(_http, email);
        await FailAsync(email, 5);
        using (var first = await LoginAsync(_http, email, Password))
        {
            Assert.InRange(RetryAfterSeconds(first), 50, 60);
        }

        // The first lock runs out (the attempts are moved a minute into the past rather than waited for).
        await MoveAttemptsBackAsync(email, TimeSpan.FromSeconds(61));
        await FailAsync(email, 5);
        using var second = await LoginAsync(_http, email, Password);

        await AssertProblemAsync(second, (HttpStatusCode)423);
        Assert.InRange(RetryAfterSeconds(second), 110, 120);
    }

    [Fact]
    public async Task A_successful_login_starts_the_count_again()
    {
        var email = NewEmail();
        await SignUpAsync(_http, email);

        await FailAsync(email, 4);
        await LoginOkAsync(_http, email);
        await FailAsync(email, 4);

        await LoginOkAsync(_http, email);
    }

    [Fact]
    public async Task A_disabled_account_is_told_so_only_with_the_right_password()
    {
        var email = NewEmail();
        await SignUpAsync(_http, email);
        await _host.Database.ScalarAsync<int>("update users set is_active = false where email = $1 returning 1", email);

        using var wrong = await LoginAsync(_http, email, "Senha-errada-1");
        using var right = await LoginAsync(_http, email, Password);

        await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(right, HttpStatusCode.Forbidden);
        Assert.Equal("inactive_user", await _host.Database.ScalarAsync<string>(
            "select failure_reason from login_attempts where email = $1 order by id desc limit 1", email));
    }

    [Fact]
    public async Task Responses_that_carry_tokens_may_not_be_stored_by_any_cache()
    {
        var email = NewEmail();
        await SignUpAsync(_http, email);

        using var login = await LoginAsync(_http, email, Password);
        var tokens = (await login.Content.ReadFromJsonAsync<Tokens>())!;
        using var refresh = await _http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken });

        foreach (var response in new[] { login, refresh })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage?.RequestUri}: Cache-Control {response.Headers.CacheControl}");
            Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        }
    }

    private async Task FailAsync(string email, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var failure = await LoginAsync(_http, email, "Senha-errada-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }
    }

    private async Task MoveAttemptsBackAsync(string email, TimeSpan by)
    {
        await using var command = _host.Database.DataSource.CreateCommand("update login_attempts set attempted_at = attempted_at - $2 where email = $1");
        command.Parameters.Add(new() { Value = email });
        command.Parameters.Add(new() { Value = by });
        await command.ExecuteNonQueryAsync();
    }
}
