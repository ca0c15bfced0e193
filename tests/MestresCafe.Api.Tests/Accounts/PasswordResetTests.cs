using System.Net;
using System.Net.Http.Json;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

public sealed class PasswordResetTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>, IDisposable
{
    private const string NewPassword = "Nova-senha-2025";
    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task An_unknown_email_gets_the_same_202_and_nothing_is_written()
    {
        var before = await _host.Database.ScalarAsync<long>("select (select count(*) from password_resets) + (select count(*) from notifications)");

        using var response = await RequestResetAsync(NewEmail("ninguem"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(before, await _host.Database.ScalarAsync<long>("select (select count(*) from password_resets) + (select count(*) from notifications)"));
    }

    [Fact]
    public async Task Reset_sets_the_password_spends_the_token_and_ends_every_session()
    {
        var email = NewEmail();
        var registered = await RegisterAsync(_http, email);
        var other = await LoginOkAsync(_http, email);

        using var request = await RequestResetAsync(email.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        var token = await TokenFromNotificationAsync(email);

        // Stored hashed: the raw token is only in the user's notification.
        Assert.Equal(0, await _host.Database.ScalarAsync<int>("select count(*) from password_resets where token = $1", token));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from password_resets where token = $1 and not is_used and expires_at > now()", SessionTests.Sha256(token)));

        using var confirm = await ConfirmAsync(token, NewPassword);

        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        using (var oldSession = await GetMeAsync(_http, registered.AccessToken))
        {
            await AssertProblemAsync(oldSession, HttpStatusCode.Unauthorized);
        }

        using (var otherSession = await GetMeAsync(_http, other.AccessToken))
        {
            await AssertProblemAsync(otherSession, HttpStatusCode.Unauthorized);
        }

        using (var oldPassword = await LoginAsync(_http, email, Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        }

        await LoginOkAsync(_http, email, NewPassword);
        using var again = await ConfirmAsync(token, "Outra-senha-2026");
        var problem = await AssertProblemAsync(again, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from audit_logs a join users u on u.id = a.record_id where a.action = 'user.password_reset' and u.email = $1", email));
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_the_password_stays()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        using (var request = await RequestResetAsync(email))
        {
            Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        }

        var token = await TokenFromNotificationAsync(email);
        await _host.Database.ScalarAsync<int>(
            "update password_resets set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' where token = $1 returning 1",
            SessionTests.Sha256(token));

        using var confirm = await ConfirmAsync(token, NewPassword);

        await AssertProblemAsync(confirm, HttpStatusCode.BadRequest);
        await LoginOkAsync(_http, email, Password);
    }

    [Fact]
    public async Task A_newer_request_voids_the_older_token()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        using (var first = await RequestResetAsync(email))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        var older = await TokenFromNotificationAsync(email);
        using (var second = await RequestResetAsync(email))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        var newer = await TokenFromNotificationAsync(email);

        using var withOlder = await ConfirmAsync(older, NewPassword);
        using var withNewer = await ConfirmAsync(newer, NewPassword);

        Assert.NotEqual(older, newer);
        await AssertProblemAsync(withOlder, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, withNewer.StatusCode);
    }

    [Fact]
    public async Task A_weak_new_password_is_a_field_error_and_keeps_the_token()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        using (var request = await RequestResetAsync(email))
        {
            Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        }

        var token = await TokenFromNotificationAsync(email);

        using var weak = await ConfirmAsync(token, "curta");

        var problem = await AssertProblemAsync(weak, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from password_resets where token = $1 and not is_used", SessionTests.Sha256(token)));
    }

    private Task<HttpResponseMessage> RequestResetAsync(string email) => _http.PostAsJsonAsync("/api/auth/password-reset", new { email });

    private Task<HttpResponseMessage> ConfirmAsync(string token, string newPassword) =>
        _http.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token, newPassword });

    private async Task<string> TokenFromNotificationAsync(string email)
    {
        var token = await _host.Database.ScalarAsync<string>(
            """
            select n.data->>'token' from notifications n join users u on u.id = n.user_id
            where u.email = $1 and n.type = 'security' order by n.id desc limit 1
            """, email);
        Assert.Contains(token, await _host.Database.ScalarAsync<string>(
            "select n.content from notifications n join users u on u.id = n.user_id where u.email = $1 order by n.id desc limit 1", email));
        return token;
    }
}
