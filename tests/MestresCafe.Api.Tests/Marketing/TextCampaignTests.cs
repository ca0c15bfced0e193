using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Marketing;
using MestresCafe.Payments;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>
/// Text campaigns (SMS/WhatsApp) end to end on the simulated provider: the audience's LGPD rules,
/// once each on the channel chosen, the opt-out line, the short tracked link and its attribution,
/// the length rule, the SAIR reply, the staff member's test text, the report.
/// </summary>
[Collection(MarketingCollection.Name)]
public sealed class TextCampaignTests(MarketingHostFixture fixture)
{
    private const string Target = "https://mestres.cafe/cafes/safra-nova";

    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task A_text_campaign_reaches_exactly_the_opted_in_consenting_customers_once_and_a_click_then_an_order_is_attributed()
    {
        using var admin = await Host.CreateSignedInClientAsync("admin");
        var (bySms, smsPhone) = await TextCustomerAsync("sms", consent: true);
        var (byWhatsApp, whatsAppPhone) = await TextCustomerAsync("whatsapp", consent: true);
        var (noConsent, noConsentPhone) = await TextCustomerAsync("sms", consent: false);
        var (erased, erasedPhone) = await TextCustomerAsync("sms", consent: true);
        using var emailOnly = await fixture.ConsentingCustomerAsync();
        var segmentId = await SegmentAsync(admin, bySms, byWhatsApp, noConsent, erased, emailOnly);
        using (var erasure = await admin.Http.PostAsync($"/api/admin/users/{erased.UserId}/erasure", null))
        {
            Assert.Equal(HttpStatusCode.OK, erasure.StatusCode);
        }

        var id = await CreateAsync(admin, "Oi {{ first_name }}, a safra nova chegou: " + Target + ". Aproveite!", segmentId);
        var campaign = $"/api/admin/marketing/campaigns/{id}";

        var preview = await admin.Http.GetFromJsonAsync<JsonElement>(campaign + "/preview");
        var previewText = preview.GetProperty("text").GetString()!;
        Assert.StartsWith("Oi Maria, a safra nova chegou: http", previewText, StringComparison.Ordinal);
        Assert.EndsWith("\n" + MarketingText.OptOutHint, previewText, StringComparison.Ordinal);
        Assert.Equal(previewText.Length, preview.GetProperty("length").GetInt32());

        await SendAndWaitAsync(admin, id);
        var texts = await TextsToAsync([smsPhone, whatsAppPhone, noConsentPhone, erasedPhone], expected: 2);
        Assert.Equal(["sms", "whatsapp"], texts.OrderBy(t => t.Channel).Select(t => t.Channel));
        Assert.Equal([smsPhone, whatsAppPhone], texts.OrderBy(t => t.Channel).Select(t => t.Recipient));
        Assert.Equal(2, await Host.Database.ScalarAsync<long>("select count(*) from campaign_recipients where campaign_id = $1", id));
        var text = texts.Single(t => t.Recipient == smsPhone).Body;
        Assert.EndsWith("\n" + MarketingText.OptOutHint, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Target, text, StringComparison.Ordinal);
        var shortLink = new Uri(Assert.Single(MarketingText.Links(text)));
        Assert.StartsWith("/api/marketing/t/", shortLink.AbsolutePath, StringComparison.Ordinal);
        Assert.True(text.Length <= MarketingText.MaxLength);

        using var anonymous = Host.CreateClient();
        using (var forged = await anonymous.GetAsync(shortLink.AbsolutePath[..^2] + "AA"))
        {
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }

        using (var redirected = await anonymous.GetAsync(shortLink.AbsolutePath))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.Equal(Target, redirected.Headers.Location?.ToString());
        }

        using var checkout = await Storefront.CheckoutOneItemAsync(Host, bySms.Http, 60m, null, "text-camp-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        var order = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        await Storefront.CaptureAsync(Host, order);
        Assert.True(await Eventually.TrueAsync(async () =>
            await Host.Database.ScalarAsync<long>("select count(*) from campaign_conversions where campaign_id = $1", id) == 1, TimeSpan.FromSeconds(30)));
        var revenue = await Host.Database.ScalarAsync<decimal>("select total_amount from orders where order_number = $1", order.GetProperty("orderNumber").GetString()!);

        // The provider reports the WhatsApp text delivered: the report counts it; opens do not apply to texts.
        var providerId = await Host.Database.ScalarAsync<string>(
            "select provider_message_id from outbound_messages where recipient = $1 and template = $2", whatsAppPhone, MarketingText.Template);
        using (var receipt = await anonymous.PostAsync("/api/notifications/webhooks/text-receipts",
                   Signed(JsonSerializer.Serialize(new { id = "evt-" + Guid.NewGuid(), messageId = providerId, status = "delivered", occurredAt = DateTimeOffset.UtcNow }))))
        {
            Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        }

        var report = await admin.Http.GetFromJsonAsync<JsonElement>(campaign + "/report");
        Assert.Equal(("text", 2, 2, 1, 1, 1, revenue), (report.GetProperty("channel").GetString(), report.GetProperty("recipients").GetInt64(),
            report.GetProperty("sent").GetInt64(), report.GetProperty("delivered").GetInt64(), report.GetProperty("clicked").GetInt64(),
            report.GetProperty("conversions").GetInt64(), report.GetProperty("revenue").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, report.GetProperty("opened").ValueKind);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("openRate").ValueKind);
        var csv = (await admin.Http.GetStringAsync(campaign + "/report.csv")).Split("\r\n");
        var (header, values) = (csv[0].Split(','), csv[1].Split(','));
        Assert.Equal("\"text\"", values[Array.IndexOf(header, "channel")]);
        Assert.Equal(("1", ""), (values[Array.IndexOf(header, "delivered")], values[Array.IndexOf(header, "opened")]));
    }

    [Fact]
    public async Task A_newsletter_text_campaign_reaches_the_subscribers_who_are_customers_reachable_by_text()
    {
        using var admin = await Host.CreateSignedInClientAsync("admin");
        var (reader, readerPhone) = await TextCustomerAsync("sms", consent: true);
        var (_, notReaderPhone) = await TextCustomerAsync("sms", consent: true); // reachable by text, not a newsletter reader
        using (var subscribed = await reader.Http.PutAsJsonAsync("/api/me/consents", new { consents = new[] { new { purpose = "email_marketing", granted = true } } }))
        {
            subscribed.EnsureSuccessStatusCode();
        }

        using var created = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns", new
        {
            name = "Texto newsletter " + Guid.NewGuid().ToString("N")[..8], channel = "text", textBody = "Novidade: " + Target, audience = "newsletter",
            sendRatePerSecond = 1000,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await SendAndWaitAsync(admin, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());

        Assert.Equal(readerPhone, Assert.Single(await TextsToAsync([readerPhone, notReaderPhone], expected: 1)).Recipient);
    }

    [Fact]
    public async Task A_body_too_long_once_composed_is_refused_with_422_and_nothing_is_written()
    {
        using var admin = await Host.CreateSignedInClientAsync("admin");
        var (customer, _) = await TextCustomerAsync("sms", consent: true);
        var segmentId = await SegmentAsync(admin, customer);
        var name = "Longa " + Guid.NewGuid().ToString("N")[..8];
        var tooLong = new string('x', MarketingText.MaxLength - MarketingText.OptOutHint.Length);

        using (var refused = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns",
                   new { name, channel = "text", textBody = tooLong, audience = "segment", segmentId }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("textBody", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await Host.Database.ScalarAsync<long>("select count(*) from campaigns where name = $1", name));

        // One character less fits; the same body made longer by an update is refused and leaves the draft as it was.
        var id = await CreateAsync(admin, tooLong[1..], segmentId, name);
        using (var refused = await admin.Http.PutAsJsonAsync($"/api/admin/marketing/campaigns/{id}",
                   new { name, channel = "text", textBody = tooLong + " {{ first_name }}", audience = "segment", segmentId }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        Assert.Equal(tooLong[1..], await Host.Database.ScalarAsync<string>("select text_body from campaigns where id = $1", id));
        Assert.Equal(0, await Host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where user_id = $1 and (action = 'campaign.update' or (action = 'campaign.create' and record_id <> $2))", admin.UserId, id));

        using (var emailFields = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns",
                   new { name, channel = "text", template = "campaign_novidades", textBody = "Oi", audience = "segment", segmentId }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, emailFields.StatusCode);
        }
    }

    [Fact]
    public async Task A_SAIR_reply_keeps_the_customer_out_of_the_next_text_campaign()
    {
        using var admin = await Host.CreateSignedInClientAsync("admin");
        var (leaving, leavingPhone) = await TextCustomerAsync("whatsapp", consent: true);
        var (staying, stayingPhone) = await TextCustomerAsync("sms", consent: true);
        var segmentId = await SegmentAsync(admin, leaving, staying);

        using var provider = Host.CreateClient();
        var reply = JsonSerializer.Serialize(new { id = "in-" + Guid.NewGuid(), from = leavingPhone, body = "  sáir " });
        using (var forged = new StringContent(reply, Encoding.UTF8, "application/json"))
        {
            forged.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign("not-the-secret-0123456789abcdef-0123456789", DateTimeOffset.UtcNow, reply));
            Assert.Equal(HttpStatusCode.Unauthorized, (await provider.PostAsync("/api/notifications/webhooks/text-replies", forged)).StatusCode);
        }

        Assert.Equal("opted_out", await PostReplyAsync(provider, reply));
        Assert.Equal("duplicate", await PostReplyAsync(provider, reply));
        Assert.Equal("kept", await PostReplyAsync(provider, JsonSerializer.Serialize(new { id = "in-" + Guid.NewGuid(), from = stayingPhone, body = "Obrigado!" })));
        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from marketing_consents where user_id = $1 and not granted and source = 'text_reply'", leaving.UserId));

        var id = await CreateAsync(admin, "Novidade da semana: " + Target, segmentId);
        await SendAndWaitAsync(admin, id);
        var text = Assert.Single(await TextsToAsync([leavingPhone, stayingPhone], expected: 1));
        Assert.Equal(stayingPhone, text.Recipient);
        Assert.Equal(1, await Host.Database.ScalarAsync<long>("select count(*) from campaign_recipients where campaign_id = $1", id));
    }

    [Fact]
    public async Task A_test_text_goes_to_the_staff_members_own_phone_untracked_or_is_refused_without_one()
    {
        using var admin = await Host.CreateSignedInClientAsync("admin");
        var (customer, _) = await TextCustomerAsync("sms", consent: true);
        var id = await CreateAsync(admin, "Teste {{ first_name }}: " + Target, await SegmentAsync(admin, customer));

        using (var noPhone = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/test", null))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, noPhone.StatusCode);
        }

        var phone = "+55219" + Random.Shared.Next(10_000_000, 99_999_999);
        await Host.Database.ScalarAsync<int>("update users set phone = $2 where id = $1 returning 1", admin.UserId, phone);
        using (var test = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/test", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
            Assert.Equal(phone, (await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recipient").GetString());
        }

        var text = Assert.Single(await TextsToAsync([phone], expected: 1));
        Assert.Equal(("sms", $"Teste Teste: {Target}\n{MarketingText.OptOutHint}"), (text.Channel, text.Body));
        Assert.Equal(0, await Host.Database.ScalarAsync<long>("select count(*) from campaign_recipients where campaign_id = $1", id));
    }

    /// <summary>A customer with a phone who chose <paramref name="channel"/> for texts, with or without that channel's marketing consent.</summary>
    private async Task<(SignedInClient Customer, string Phone)> TextCustomerAsync(string channel, bool consent)
    {
        var customer = await Host.CreateSignedInClientAsync();
        var phone = "+55119" + Random.Shared.Next(10_000_000, 99_999_999);
        await Host.Database.ScalarAsync<int>("update users set phone = $2 where id = $1 returning 1", customer.UserId, phone);
        using var chosen = await customer.Http.PutAsJsonAsync("/api/me/notification-preferences/text-channel", new { channel });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        if (consent)
        {
            using var consented = await customer.Http.PutAsJsonAsync("/api/me/consents", new { consents = new[] { new { purpose = channel, granted = true } } });
            consented.EnsureSuccessStatusCode();
        }

        return (customer, phone);
    }

    private async Task<long> SegmentAsync(SignedInClient admin, params SignedInClient[] members)
    {
        var city = "Cidade " + Guid.NewGuid().ToString("N")[..8];
        foreach (var member in members)
        {
            await Host.Database.ScalarAsync<int>(
                "update customers set shipping_address = jsonb_build_object('city', $1::text, 'state', 'MG') where id = $2 returning 1", city, member.CustomerId!.Value);
        }

        using var created = await admin.Http.PostAsJsonAsync("/api/admin/segments", new { name = "Textos " + city, criteria = new { cities = new[] { city } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var segment = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(members.Length, segment.GetProperty("memberCount").GetInt32());
        return segment.GetProperty("id").GetInt64();
    }

    private static async Task<long> CreateAsync(SignedInClient admin, string textBody, long segmentId, string? name = null)
    {
        using var created = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns", new
        {
            name = name ?? "Texto " + Guid.NewGuid().ToString("N")[..8], channel = "text", textBody, audience = "segment", segmentId, sendRatePerSecond = 1000,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var campaign = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("text", JsonValueKind.Null), (campaign.GetProperty("channel").GetString(), campaign.GetProperty("template").ValueKind));
        return campaign.GetProperty("id").GetInt64();
    }

    private async Task SendAndWaitAsync(SignedInClient admin, long id)
    {
        using (var sent = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/send", null))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<string>("select status from campaigns where id = $1", id) == "completed"));
    }

    /// <summary>The simulated provider's texts to these phones, once <paramref name="expected"/> arrived and every queued text of theirs was sent.</summary>
    private async Task<IReadOnlyList<SimulatedText>> TextsToAsync(string[] phones, int expected)
    {
        Assert.True(await Eventually.TrueAsync(async () =>
            await Host.Database.ScalarAsync<long>("select count(*) from simulated_text_messages where recipient = any($1)", new object[] { phones }) >= expected
            && await Host.Database.ScalarAsync<long>("select count(*) from outbound_messages where recipient = any($1) and status <> 'sent'", new object[] { phones }) == 0));
        var texts = new List<SimulatedText>();
        await using var connection = await Host.Database.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("select channel, recipient, body from simulated_text_messages where recipient = any($1) order by id", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = phones });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            texts.Add(new SimulatedText(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        Assert.Equal(expected, texts.Count);
        return texts;
    }

    private static async Task<string> PostReplyAsync(HttpClient provider, string reply)
    {
        using var response = await provider.PostAsync("/api/notifications/webhooks/text-replies", Signed(reply));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!;
    }

    private static StringContent Signed(string body)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(MarketingHostFixture.TextWebhookSecret, DateTimeOffset.UtcNow, body));
        return content;
    }

    private sealed record SimulatedText(string Channel, string Recipient, string Body);
}
