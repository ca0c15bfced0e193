using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MestresCafe.Api.Tests.Accounts;
using MestresCafe.Testing;
using MimeKit;

namespace MestresCafe.Api.Tests.Mail;

/// <summary>Account e-mails: the link arrives by mail and works; no table keeps it in clear.</summary>
public sealed partial class AccountMailTests(MailHostFixture fixture) : IClassFixture<MailHostFixture>
{
    private const string Password = "Senha-forte-de-teste-1";

    [Fact]
    public async Task Sign_up_mails_a_confirmation_link_that_verifies_the_email()
    {
        var email = $"novo.{Guid.NewGuid():N}@example.com.br";
        using var http = fixture.Host.CreateClient();
        using (var registered = await http.PostAsJsonAsync("/api/auth/register", new { email, password = Password, firstName = "Joana", lastName = "Lima" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        }

        var message = await SingleMessageAsync(email);
        Assert.Equal("Confirme o seu e-mail na Mestres Café", message.Subject);
        Assert.Contains("Joana", message.TextBody, StringComparison.Ordinal);
        var token = TokenIn(message, "/conta/confirmar-email");

        using var verified = await http.PostAsJsonAsync("/api/auth/verify-email", new { token });
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
        Assert.True(await fixture.Host.Database.ScalarAsync<bool>("select email_verified_at is not null from users where email = $1", email));
        Assert.Equal(0, await RowsHoldingAsync(token));

        // Confirmed: the welcome follows, once (the spent link changes nothing).
        using (var again = await http.PostAsJsonAsync("/api/auth/verify-email", new { token }))
        {
            Assert.False(again.IsSuccessStatusCode);
        }

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.Mail.MessagesTo(email).Count == 2), TimeSpan.FromSeconds(30)));
        var welcome = fixture.Mail.MessagesTo(email)[1];
        Assert.Equal("Boas-vindas à Mestres Café, Joana", welcome.Subject);
        Assert.Equal(1, await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where recipient = $1 and template = 'welcome'", email));
    }

    [Fact]
    public async Task A_password_reset_is_mailed_as_a_working_link_kept_nowhere_in_clear()
    {
        var email = $"reset.{Guid.NewGuid():N}@example.com.br";
        using var http = fixture.Host.CreateClient();
        using (var registered = await http.PostAsJsonAsync("/api/auth/register", new { email, password = Password, firstName = "Rui", lastName = "Alves" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        }

        await SingleMessageAsync(email);
        using (var requested = await http.PostAsJsonAsync("/api/auth/password-reset", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.Mail.MessagesTo(email).Count == 2), TimeSpan.FromSeconds(30)));
        var reset = fixture.Mail.MessagesTo(email)[1];
        Assert.Equal("Redefinição de senha da sua conta Mestres Café", reset.Subject);
        var token = TokenIn(reset, "/conta/redefinir-senha");
        Assert.True(await Eventually.TrueAsync(async () => await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where recipient = $1 and status = 'sent'", email) == 2));
        Assert.Equal(0, await RowsHoldingAsync(token));

        using var confirmed = await http.PostAsJsonAsync("/api/auth/password-reset/confirm", new { token, newPassword = "Outra-senha-forte-2" });
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
    }

    [Fact]
    public async Task An_unknown_email_asking_for_a_reset_gets_no_message()
    {
        var email = $"ninguem.{Guid.NewGuid():N}@example.com.br";
        using var http = fixture.Host.CreateClient();

        using var requested = await http.PostAsJsonAsync("/api/auth/password-reset", new { email });

        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.Equal(0, await fixture.Host.Database.ScalarAsync<long>("select count(*) from outbound_messages where recipient = $1", email));
    }

    private async Task<MimeMessage> SingleMessageAsync(string email)
    {
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.Mail.MessagesTo(email).Count > 0), TimeSpan.FromSeconds(30)));
        return Assert.Single(fixture.Mail.MessagesTo(email));
    }

    /// <summary>The token of the link to <paramref name="path"/>, which both bodies carry as an absolute link.</summary>
    private static string TokenIn(MimeMessage message, string path)
    {
        var match = LinkPattern().Match(message.TextBody ?? "");
        Assert.True(match.Success, message.TextBody);
        Assert.Equal("http://127.0.0.1:5080" + path, match.Groups["page"].Value);
        Assert.Contains(match.Value, message.HtmlBody, StringComparison.Ordinal);
        return match.Groups["token"].Value;
    }

    /// <summary>The account tables' check plus what the mail pipeline keeps.</summary>
    private async Task<long> RowsHoldingAsync(string token) =>
        await AccountMessages.RowsHoldingAsync(fixture.Host, token) + await fixture.Host.Database.ScalarAsync<long>(
            """
            select (select count(*) from outbound_messages m where strpos(m::text, $1) > 0)
                 + (select count(*) from customer_communications c where strpos(c::text, $1) > 0)
            """, token);

    [GeneratedRegex(@"(?<page>https?://[^\s?""]+)\?token=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
