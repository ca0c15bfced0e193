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

        // Stored hashed: the raw token is only in the sealed link of the user's notification.
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
        var (email, token) = await RegisterAndRequestResetAsync();
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
        var (_, token) = await RegisterAndRequestResetAsync();

        using var weak = await ConfirmAsync(token, "curta");

        var problem = await AssertProblemAsync(weak, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(1, await _host.Database.ScalarAsync<int>(
            "select count(*) from password_resets where token = $1 and not is_used", SessionTests.Sha256(token)));
    }

    [Fact]
    public async Task The_reset_token_is_in_no_column_of_any_table_in_clear()
    {
        var (_, token) = await RegisterAndRequestResetAsync();

        Assert.Equal(0, await AccountMessages.RowsHoldingAsync(_host, token));
        using var confirm = await ConfirmAsync(token, NewPassword);
        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
    }

    [Fact]
    public async Task Known_and_unknown_emails_get_the_same_answer_after_the_same_work()
    {
        var known = NewEmail();
        await RegisterAsync(_http, known);
        var unknown = NewEmail("ninguem");
        const string Audits = "select count(*) from audit_logs where action = 'user.password_reset_request'";
        var before = await _host.Database.ScalarAsync<long>(Audits);

        using var forKnown = await RequestResetAsync(known);
        using var forUnknown = await RequestResetAsync(unknown);

        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(await forKnown.Content.ReadAsStringAsync(), await forUnknown.Content.ReadAsStringAsync());
        Assert.Equal(forKnown.Content.Headers.ContentType?.MediaType, forUnknown.Content.Headers.ContentType?.MediaType);
        // Both ran the same transaction: one audit row each (the unknown one names no user).
        Assert.Equal(before + 2, await _host.Database.ScalarAsync<long>(Audits));
    }

    [Fact]
    public async Task A_successful_reset_lifts_the_account_lockout_and_verifies_the_email()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await LoginAsync(_http, email, "Senha-errada-" + i);
        }

        using (var locked = await LoginAsync(_http, email, Password))
        {
            await AssertProblemAsync(locked, HttpStatusCode.Locked);
        }

        using (var request = await RequestResetAsync(email))
        {
            Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        }

        using (var confirm = await ConfirmAsync(await TokenFromNotificationAsync(email), NewPassword))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        }

        var tokens = await LoginOkAsync(_http, email, NewPassword);
        using var me = await GetMeAsync(_http, tokens.AccessToken);
        Assert.True((await me.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("emailVerified").GetBoolean());
    }

    private async Task<(string Email, string Token)> RegisterAndRequestResetAsync()
    {
        var email = NewEmail();
        await RegisterAsync(_http, email);
        using (var request = await RequestResetAsync(email))
        {
            Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        }

        return (email, await TokenFromNotificationAsync(email));
    }

    private Task<HttpResponseMessage> RequestResetAsync(string email) => _http.PostAsJsonAsync("/api/auth/password-reset", new { email });

    private Task<HttpResponseMessage> ConfirmAsync(string token, string newPassword) =>
        _http.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token, newPassword });

    private Task<string> TokenFromNotificationAsync(string email) =>
        AccountMessages.TokenFromLinkAsync(_host, email, "password_reset", "/conta/redefinir-senha");
}
