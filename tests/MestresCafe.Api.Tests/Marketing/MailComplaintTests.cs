using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Marketing;
using MestresCafe.Payments;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>Spam complaints (feedback reports) about campaign mail: the address stops getting marketing, once, and the report counts it.</summary>
[Collection(MarketingCollection.Name)]
public sealed class MailComplaintTests(MarketingHostFixture fixture)
{
    private const string Route = "/api/notifications/webhooks/mail-complaints";

    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task A_complaint_about_a_campaign_mail_unsubscribes_the_address_withdraws_consent_shows_in_the_report_and_the_next_campaign_skips_it()
    {
        using var admin = await Host.CreateSignedInClientAsync("admin");
        using var complainer = await fixture.ConsentingCustomerAsync();
        using var other = await fixture.ConsentingCustomerAsync();
        var segmentId = await SegmentOfAsync(admin, complainer, other);
        var first = await SendCampaignAsync(admin, segmentId, "Safra de queixas");
        var mail = Assert.Single(await fixture.MessagesToAsync(complainer.Email, 1));
        await fixture.MessagesToAsync(other.Email, 1);
        Assert.True(await Eventually.TrueAsync(async () => (await ReportAsync(admin, first)).Sent == 2), "both sent");

        using var anonymous = Host.CreateClient();
        var report = FeedbackReports.About($"{Guid.NewGuid():N}@provedor.example", mail.MessageId, complainer.Email);
        Assert.Equal("applied", await PostAsync(anonymous, report));

        Assert.Equal("complained:complaint", await Host.Database.ScalarAsync<string>(
            "select status || ':' || unsubscribe_reason from newsletter_subscriptions where email = $1", complainer.Email));
        Assert.True(await Host.Database.ScalarAsync<bool>("select unsubscribed_at is not null from newsletter_subscriptions where email = $1", complainer.Email));
        Assert.Equal("complaint:false", await Host.Database.ScalarAsync<string>(
            """
            select source || ':' || granted from marketing_consents
            where user_id = $1 and purpose = 'email_marketing' order by recorded_at desc, id desc limit 1
            """, complainer.UserId));
        Assert.Equal("complained", await Host.Database.ScalarAsync<string>(
            "select status from campaign_recipients where campaign_id = $1 and email = $2", first, complainer.Email));
        var figures = await ReportAsync(admin, first);
        Assert.Equal((1L, 0.5m, 0L), (figures.Complained, figures.ComplaintRate, figures.Unsubscribed));
        var csv = (await admin.Http.GetStringAsync($"/api/admin/marketing/campaigns/{first}/report.csv")).Split("\r\n");
        var header = csv[0].Split(',');
        var values = csv[1].Split(',');
        Assert.Equal(("1", 0.5m), (values[Array.IndexOf(header, "complained")], decimal.Parse(values[Array.IndexOf(header, "complaint_rate")], CultureInfo.InvariantCulture)));

        // A redelivery, and a second report about the same message, change nothing.
        Assert.Equal("duplicate", await PostAsync(anonymous, report));
        Assert.Equal("duplicate", await PostAsync(anonymous, FeedbackReports.About($"{Guid.NewGuid():N}@provedor.example", mail.MessageId, complainer.Email)));
        Assert.Equal("1 1 1", await Host.Database.ScalarAsync<string>(
            """
            select concat_ws(' ',
                   (select count(*) from mail_complaints c join newsletter_subscriptions n on n.id = c.subscription_id where n.email = $1),
                   (select count(*) from marketing_consents where user_id = $2 and source = 'complaint'),
                   (select count(*) from audit_logs a join newsletter_subscriptions n on n.id = a.record_id
                    where a.action = 'newsletter.complaint' and n.email = $1))
            """, complainer.Email, complainer.UserId));

        // The next campaign to the same segment reaches the other customer only.
        var second = await SendCampaignAsync(admin, segmentId, "Depois da queixa");
        await fixture.MessagesToAsync(other.Email, 2);
        Assert.Equal(1, (await ReportAsync(admin, second)).Recipients);
        Assert.Single(fixture.Mail.MessagesTo(complainer.Email));
    }

    [Fact]
    public async Task An_unsigned_forged_or_malformed_report_gets_a_4xx_and_writes_nothing()
    {
        using var customer = await fixture.ConsentingCustomerAsync();
        using var anonymous = Host.CreateClient();
        var reportId = $"{Guid.NewGuid():N}@provedor.example";
        var report = FeedbackReports.About(reportId, null, customer.Email);

        using (var unsigned = await anonymous.PostAsync(Route, new StringContent(report, Encoding.UTF8, "message/rfc822")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        }

        using (var forged = await anonymous.PostAsync(Route, Signed(report, "not-the-complaint-secret-0123456789abcdef")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        foreach (var malformed in new[]
                 {
                     "not a report",
                     report.Replace("report-type=feedback-report", "report-type=delivery-status", StringComparison.Ordinal),
                     report.Replace("Feedback-Type: abuse", "X-Nothing: here", StringComparison.Ordinal),
                     FeedbackReports.About(reportId, null, null),
                 })
        {
            using var refused = await anonymous.PostAsync(Route, Signed(malformed));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal("0 subscribed", await Host.Database.ScalarAsync<string>(
            "select concat_ws(' ', (select count(*) from mail_complaints where feedback_id = $1), (select status from newsletter_subscriptions where email = $2))",
            reportId, customer.Email));

        // The same report, signed, is the one that counts.
        Assert.Equal("applied", await PostAsync(anonymous, report));
        Assert.Equal("complained", await Host.Database.ScalarAsync<string>("select status from newsletter_subscriptions where email = $1", customer.Email));
    }

    private static StringContent Signed(string body, string secret = MarketingHostFixture.ComplaintSecret)
    {
        var content = new StringContent(body, Encoding.UTF8, "message/rfc822");
        content.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, DateTimeOffset.UtcNow, body));
        return content;
    }

    private static async Task<string> PostAsync(HttpClient client, string report)
    {
        using var response = await client.PostAsync(Route, Signed(report));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!;
    }

    private async Task<long> SegmentOfAsync(SignedInClient admin, params SignedInClient[] customers)
    {
        var city = "Queixas " + Guid.NewGuid().ToString("N")[..8];
        foreach (var customer in customers)
        {
            await Host.Database.ScalarAsync<int>(
                "update customers set shipping_address = jsonb_build_object('city', $1::text, 'state', 'SP') where id = $2 returning 1", city, customer.CustomerId!.Value);
        }

        using var created = await admin.Http.PostAsJsonAsync("/api/admin/segments", new { name = "Segmento " + city, criteria = new { cities = new[] { city } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private async Task<long> SendCampaignAsync(SignedInClient admin, long segmentId, string name)
    {
        using var created = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns", new
        {
            name, template = "campaign_novidades", audience = "segment", segmentId, sendRatePerSecond = 1000,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using (var sent = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/send", null))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<string>("select status from campaigns where id = $1", id) == "completed"));
        return id;
    }

    private static async Task<CampaignReport> ReportAsync(SignedInClient admin, long campaign) =>
        (await admin.Http.GetFromJsonAsync<CampaignReport>($"/api/admin/marketing/campaigns/{campaign}/report"))!;
}
