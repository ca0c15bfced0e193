using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MestresCafe.DevMail;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>Double opt-in, preferences, the one-click unsubscribe and its headers, consent both ways, bounces.</summary>
[Collection(MarketingCollection.Name)]
public sealed partial class NewsletterTests(MarketingHostFixture fixture)
{
    [Fact]
    public async Task A_sign_up_is_subscribed_only_by_the_mailed_confirmation_link()
    {
        var email = $"leitora.{Guid.NewGuid():N}@example.com.br";
        using var http = fixture.Host.CreateClient();

        using (var signedUp = await http.PostAsJsonAsync("/api/newsletter/subscriptions", new { email = email.ToUpperInvariant(), topics = new[] { "cafes", "cursos" } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, signedUp.StatusCode);
        }

        Assert.Equal("pending", await StatusAsync(email));
        var confirmation = Assert.Single(await fixture.MessagesToAsync(email, 1));
        Assert.Equal("Confirme a sua inscrição na newsletter da Mestres Café", confirmation.Subject);
        Assert.Null(confirmation.Headers["List-Unsubscribe"]);
        var token = ConfirmLink().Match(confirmation.TextBody ?? "").Groups["token"].Value;
        Assert.NotEmpty(token);
        // The outbox keeps the link sealed: no usable token in the database.
        Assert.Equal(0, await fixture.Host.Database.ScalarAsync<long>("select count(*) from outbound_messages where strpos(data::text || coalesce(text_body, ''), $1) > 0", token));

        // Asking again while pending sends no second confirmation at once.
        using (var again = await http.PostAsJsonAsync("/api/newsletter/subscriptions", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        using (var forged = await http.PostAsJsonAsync("/api/newsletter/confirm", new { token = token[..^2] + (token[^2] == 'A' ? "BB" : "AA") }))
        {
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }

        Assert.Equal("pending", await StatusAsync(email));
        using var confirmed = await http.PostAsJsonAsync("/api/newsletter/confirm", new { token });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var subscription = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("subscribed", subscription.GetProperty("status").GetString());
        Assert.Equal(["cafes", "cursos"], subscription.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("subscribed", await StatusAsync(email));
        Assert.Equal(1, await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where recipient = $1 and template = 'newsletter_confirmation'", email));
    }

    [Fact]
    public async Task A_marketing_email_unsubscribes_in_one_click_and_withdraws_the_customers_consent()
    {
        using var customer = await fixture.ConsentingCustomerAsync();
        Assert.Equal("subscribed", await StatusAsync(customer.Email));
        await fixture.Host.Database.ScalarAsync<int>(
            """
            insert into outbound_messages (message_id, template, user_id, recipient, data)
            values (gen_random_uuid(), 'campaign_novidades', $1, $2, jsonb_build_object('first_name', 'Bia', 'marketing', jsonb_build_object('unsubscribe', 'u' || $1)))
            returning 1
            """, customer.UserId, customer.Email);

        var message = Assert.Single(await fixture.MessagesToAsync(customer.Email, 1));
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var oneClick = new Uri(message.Headers["List-Unsubscribe"]!.Trim('<', '>'));
        Assert.StartsWith("/api/newsletter/unsubscribe/", oneClick.AbsolutePath, StringComparison.Ordinal);
        var token = oneClick.AbsolutePath["/api/newsletter/unsubscribe/".Length..];
        // The body's link goes to the storefront's page with the same token.
        Assert.Contains($"/newsletter/descadastrar?token={token}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/newsletter/descadastrar?token={token}", message.HtmlBody, StringComparison.Ordinal);
        // Recorded in the customer's history as marketing (once the sender recorded it sent, just after the relay took it).
        Assert.True(await Eventually.TrueAsync(async () => await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from customer_communications cc where cc.customer_id = $1 and cc.type = 'marketing'", customer.CustomerId!.Value) == 1));

        using var anonymous = fixture.Host.CreateClient();
        using (var clicked = await anonymous.PostAsync(oneClick.PathAndQuery,
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        }

        Assert.Equal("unsubscribed:one_click", await fixture.Host.Database.ScalarAsync<string>(
            "select status || ':' || unsubscribe_reason from newsletter_subscriptions where email = $1", customer.Email));
        var consents = await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/consents");
        var email = consents.EnumerateArray().Single(c => c.GetProperty("purpose").GetString() == "email_marketing");
        Assert.False(email.GetProperty("granted").GetBoolean());
        Assert.Equal("unsubscribe_link", email.GetProperty("source").GetString());

        // The page then tells why; repeating changes nothing else.
        using (var why = await anonymous.PostAsJsonAsync(oneClick.PathAndQuery, new { reason = "too_many" }))
        {
            Assert.Equal(HttpStatusCode.OK, why.StatusCode);
        }

        using (var wrong = await anonymous.PostAsJsonAsync(oneClick.PathAndQuery, new { reason = "because" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        Assert.Equal("too_many", await fixture.Host.Database.ScalarAsync<string>(
            "select unsubscribe_reason from newsletter_subscriptions where email = $1", customer.Email));
        Assert.Equal(2, await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from marketing_consents where user_id = $1 and purpose = 'email_marketing'", customer.UserId));
        using (var forged = await anonymous.PostAsync(oneClick.PathAndQuery + "x", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }

        // Giving consent again in the account subscribes again (the subscription follows the consent).
        using (var again = await customer.Http.PutAsJsonAsync("/api/me/consents", new { consents = new[] { new { purpose = "email_marketing", granted = true } } }))
        {
            again.EnsureSuccessStatusCode();
        }

        Assert.Equal("subscribed", await StatusAsync(customer.Email));
    }

    [Fact]
    public async Task Preferences_change_the_topics_through_the_link()
    {
        using var customer = await fixture.ConsentingCustomerAsync();
        var links = (MestresCafe.Api.Marketing.MarketingLinks)fixture.Host.Services.GetService(typeof(MestresCafe.Api.Marketing.MarketingLinks))!;
        var token = links.SubscriberToken("u" + customer.UserId, null);
        using var anonymous = fixture.Host.CreateClient();

        using (var put = await anonymous.PutAsJsonAsync($"/api/newsletter/preferences/{token}", new { topics = new[] { "equipamentos" } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var read = await anonymous.GetFromJsonAsync<JsonElement>($"/api/newsletter/preferences/{token}");
        Assert.Equal(["equipamentos"], read.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        using var bad = await anonymous.PutAsJsonAsync($"/api/newsletter/preferences/{token}", new { topics = new[] { "futebol" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_hard_bounce_marks_the_subscription_bounced()
    {
        var email = $"caixa.{Guid.NewGuid():N}@{DevMailServer.RefusedDomain}";
        await fixture.Host.Database.ScalarAsync<int>(
            "insert into newsletter_subscriptions (email, status, subscribed_at) values ($1, 'subscribed', now()) returning 1", email);
        await fixture.Host.Database.ScalarAsync<int>(
            """
            insert into outbound_messages (message_id, template, recipient, data)
            select gen_random_uuid(), 'campaign_novidades', $1, jsonb_build_object('marketing', jsonb_build_object('unsubscribe', 's' || id))
            from newsletter_subscriptions where email = $1 returning 1
            """, email);

        Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(email) == "bounced", TimeSpan.FromSeconds(30)));
        Assert.Equal("bounced", await fixture.Host.Database.ScalarAsync<string>("select unsubscribe_reason from newsletter_subscriptions where email = $1", email));
    }

    private Task<string> StatusAsync(string email) =>
        fixture.Host.Database.ScalarAsync<string>("select status from newsletter_subscriptions where email = $1", email);

    [GeneratedRegex(@"/newsletter/confirmar\?token=(?<token>[A-Za-z0-9_.-]+)")]
    private static partial Regex ConfirmLink();
}
