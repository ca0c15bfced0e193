using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MestresCafe.Api.Mail;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Marketing;
using MestresCafe.DevMail;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>Campaigns: the frozen audience, exactly-once sending across dispatchers and senders, tracking, attribution, the report.</summary>
[Collection(MarketingCollection.Name)]
public sealed partial class CampaignTests(MarketingHostFixture fixture, ITestOutputHelper output)
{
    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task A_segment_campaign_reaches_consenting_customers_once_and_a_click_then_an_order_is_attributed()
    {
        using var admin = await Host.CreateSignedInClientAsync("admin");
        using var buyer = await fixture.ConsentingCustomerAsync();
        using var noConsent = await Host.CreateSignedInClientAsync();
        using var unsubscribed = await fixture.ConsentingCustomerAsync();
        using var erased = await fixture.ConsentingCustomerAsync();
        var city = "Cidade " + Guid.NewGuid().ToString("N")[..8];
        foreach (var customer in new[] { buyer, noConsent, unsubscribed, erased })
        {
            await Host.Database.ScalarAsync<int>(
                "update customers set shipping_address = jsonb_build_object('city', $1::text, 'state', 'MG') where id = $2 returning 1", city, customer.CustomerId!.Value);
        }

        using var segmentCreated = await admin.Http.PostAsJsonAsync("/api/admin/segments", new { name = "Campanha " + city, criteria = new { cities = new[] { city } } });
        Assert.Equal(HttpStatusCode.Created, segmentCreated.StatusCode);
        var segment = await segmentCreated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, segment.GetProperty("memberCount").GetInt32());
        await Host.Database.ScalarAsync<int>("update newsletter_subscriptions set status = 'unsubscribed', unsubscribed_at = now() where email = $1 returning 1", unsubscribed.Email);
        using (var erasure = await admin.Http.PostAsync($"/api/admin/users/{erased.UserId}/erasure", null))
        {
            Assert.Equal(HttpStatusCode.OK, erasure.StatusCode);
        }

        using (var wrongTemplate = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns",
                   new { name = "x", template = "password_reset", audience = "segment", segmentId = segment.GetProperty("id").GetInt64() }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongTemplate.StatusCode);
        }

        using (var noSegment = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns", new { name = "x", template = "campaign_novidades", audience = "segment" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noSegment.StatusCode);
        }

        using var created = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns", new
        {
            name = "Safra nova " + city, template = "campaign_novidades", audience = "segment", segmentId = segment.GetProperty("id").GetInt64(),
            sendRatePerSecond = 1000, conversionWindowDays = 7,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var campaign = $"/api/admin/marketing/campaigns/{id}";

        var preview = await admin.Http.GetFromJsonAsync<JsonElement>(campaign + "/preview");
        Assert.Equal("Novidades da torra, Ana", preview.GetProperty("subject").GetString());
        Assert.Contains("Descadastrar", preview.GetProperty("html").GetString(), StringComparison.Ordinal);

        using (var test = await admin.Http.PostAsync(campaign + "/test", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        }

        var testMail = Assert.Single(await fixture.MessagesToAsync(admin.Email, 1));
        Assert.NotNull(testMail.Headers["List-Unsubscribe"]);
        Assert.DoesNotContain("/api/marketing/", testMail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(0, await Host.Database.ScalarAsync<long>("select count(*) from campaign_recipients where campaign_id = $1", id));

        using (var sent = await admin.Http.PostAsync(campaign + "/send", null))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<string>("select status from campaigns where id = $1", id) == "completed"));
        var mail = Assert.Single(await fixture.MessagesToAsync(buyer.Email, 1));
        Assert.Equal(1, await Host.Database.ScalarAsync<long>("select count(*) from campaign_recipients where campaign_id = $1", id));
        Assert.Empty(fixture.Mail.MessagesTo(noConsent.Email));
        Assert.Empty(fixture.Mail.MessagesTo(unsubscribed.Email));
        using (var late = await admin.Http.PutAsJsonAsync(campaign, new { name = "y", template = "campaign_novidades", audience = "newsletter" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        }

        using var anonymous = Host.CreateClient();
        using (var pixel = await anonymous.GetAsync(new Uri(PixelSource().Match(mail.HtmlBody ?? "").Groups["url"].Value).PathAndQuery))
        {
            Assert.Equal("image/gif", pixel.Content.Headers.ContentType?.MediaType);
        }

        // The logo's link to the store is tracked too; this is the template's button.
        var click = ClickHref().Matches(mail.HtmlBody ?? "").Select(m => new Uri(WebUtility.HtmlDecode(m.Groups["url"].Value)))
            .Single(u => u.Query.EndsWith("%2Fcafes", StringComparison.Ordinal));
        using (var forged = await anonymous.GetAsync(click.AbsolutePath + "?u=" + Uri.EscapeDataString("https://outro.example/")))
        {
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }

        using (var redirected = await anonymous.GetAsync(click.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.Equal("http://127.0.0.1:5080/cafes", redirected.Headers.Location?.ToString());
        }

        using var checkout = await Storefront.CheckoutOneItemAsync(Host, buyer.Http, 80m, null, "camp-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        var order = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        await Storefront.CaptureAsync(Host, order);
        var orderNumber = order.GetProperty("orderNumber").GetString();
        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<long>("select count(*) from campaign_conversions where campaign_id = $1", id) == 1,
            TimeSpan.FromSeconds(30)));

        var report = await admin.Http.GetFromJsonAsync<JsonElement>(campaign + "/report");
        var revenue = await Host.Database.ScalarAsync<decimal>("select total_amount from orders where order_number = $1", orderNumber!);
        Assert.Equal((1, 1, 1, 1, 1, revenue), (report.GetProperty("recipients").GetInt64(), report.GetProperty("sent").GetInt64(),
            report.GetProperty("opened").GetInt64(), report.GetProperty("clicked").GetInt64(), report.GetProperty("conversions").GetInt64(),
            report.GetProperty("revenue").GetDecimal()));
        Assert.Equal(1m, report.GetProperty("conversionRate").GetDecimal());
        Assert.Equal("converted", await Host.Database.ScalarAsync<string>("select status from campaign_recipients where campaign_id = $1", id));

        var csv = (await admin.Http.GetStringAsync(campaign + "/report.csv")).Split("\r\n");
        var header = csv[0].Split(',');
        var values = csv[1].Split(',');
        Assert.Equal(revenue.ToString(CultureInfo.InvariantCulture), values[Array.IndexOf(header, "revenue")]);
        Assert.Equal("1", values[Array.IndexOf(header, "clicked")]);
    }

    [Fact]
    public async Task Two_dispatchers_and_two_senders_reach_each_of_thousands_of_recipients_exactly_once()
    {
        // MC_CAMPAIGN_RECIPIENTS scales this up for the benchmark (docs/BENCHMARKS.md).
        var count = int.TryParse(Environment.GetEnvironmentVariable("MC_CAMPAIGN_RECIPIENTS"), out var n) ? n : 1000;
        var run = Guid.NewGuid().ToString("N")[..8];
        await AddSubscribersAsync("massa-" + run, "cursos", count);
        await Host.Database.ScalarAsync<int>(
            """insert into newsletter_subscriptions (email, status, subscribed_at, preferences) values ($1, 'subscribed', now(), '{"topics": ["cursos"]}') returning 1""",
            $"massa-{run}@{DevMailServer.RefusedDomain}");
        using var admin = await Host.CreateSignedInClientAsync("admin");
        var id = await CreateNewsletterCampaignAsync(admin, "Curso de barista " + run, "cursos", 10_000);

        // Beside the server's own dispatcher and mail sender, a second of each works the same queue.
        using var stop = new CancellationTokenSource();
        var dispatch = Host.Services.GetRequiredService<CampaignDispatchStore>();
        var sender = ActivatorUtilities.CreateInstance<MailSender>(Host.Services);
        var clock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var second = Task.WhenAll(
            Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    if ((await dispatch.DispatchNextAsync(500, CancellationToken.None)).Queued == 0)
                    {
                        await Task.Delay(20);
                    }
                }
            }),
            Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    if (await sender.SendDueAsync(CancellationToken.None) == 0)
                    {
                        await Task.Delay(20);
                    }
                }
            }));
        using (var sent = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/send", null))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<string>("select status from campaigns where id = $1", id) == "completed",
            TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100)));
        var queuedIn = clock.Elapsed;
        var done = await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<bool>(
            """
            select c.status = 'completed'
                   and not exists (select 1 from campaign_recipients r left join outbound_messages m on m.message_id = r.message_id
                                   where r.campaign_id = c.id and m.status is distinct from 'sent' and m.status is distinct from 'failed')
            from campaigns c where c.id = $1
            """, id), TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(200));
        var elapsed = clock.Elapsed;
        // This process's CPU (dispatchers, senders, the SMTP server; not PostgreSQL's): less
        // sensitive than the rate to what else the machine runs.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await stop.CancelAsync();
        await second;
        Assert.True(done, "every recipient's message handled");
        output.WriteLine($"{count} recipients queued in {queuedIn.TotalSeconds:F1} s ({count / queuedIn.TotalSeconds:F0}/s), "
            + $"delivered to the SMTP server in {elapsed.TotalSeconds:F1} s: {count / elapsed.TotalSeconds:F0} recipients/s, "
            + $"{cpu.TotalMilliseconds / count:F2} ms of CPU per recipient; load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown")}");

        // Subscribers of earlier tests in this database with no topic chosen (every topic) are in the audience too.
        var others = await Host.Database.ScalarAsync<long>(
            "select count(*) from campaign_recipients where campaign_id = $1 and email not like 'massa-' || $2 || '%'", id, run);
        var expected = (await Host.Database.ScalarAsync<Guid[]>(
            "select array_agg(message_id) from campaign_recipients where campaign_id = $1 and email not like '%@' || $2", id, DevMailServer.RefusedDomain))
            .Select(m => m.ToString("N")).ToHashSet();
        Assert.Equal(count + others, expected.Count);
        var delivered = fixture.Mail.Messages().Select(m => m.MessageId ?? "").Select(m => m[..Math.Max(0, m.IndexOf('@'))]).Where(expected.Contains).ToList();
        Assert.Equal(expected.Count, delivered.Count);
        Assert.Equal(expected.Count, delivered.Distinct().Count());
        Assert.Equal("completed", await Host.Database.ScalarAsync<string>("select status from campaigns where id = $1", id));
        Assert.Equal("bounced", await Host.Database.ScalarAsync<string>(
            "select status from newsletter_subscriptions where email = 'massa-' || $1 || '@' || $2", run, DevMailServer.RefusedDomain));

        var report = await admin.Http.GetFromJsonAsync<CampaignReport>($"/api/admin/marketing/campaigns/{id}/report");
        Assert.Equal((count + 1 + others, count + others, 1L, 1L, 0L), (report!.Recipients, report.Sent, report.Failed, report.Bounced, report.Pending));
    }

    [Fact]
    public async Task A_paused_campaign_queues_nobody_more_and_once_resumed_reaches_the_rest_once_each()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await AddSubscribersAsync("pausa-" + run, "equipamentos", 30);
        using var admin = await Host.CreateSignedInClientAsync("admin");
        // One recipient a second: it is still sending (for half a minute) when it is paused.
        var id = await CreateNewsletterCampaignAsync(admin, "Moedores " + run, "equipamentos", 1);
        using (var draftResumed = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/resume", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, draftResumed.StatusCode);
        }

        using (var sent = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/send", null))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(async () => await CountAsync(id, "status <> 'pending'") >= 1), "sending started");
        using (var paused = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/pause", null))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            Assert.Equal("paused", (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        // Dispatchers pass a paused campaign by, however often they run.
        var handed = await CountAsync(id, "status <> 'pending'");
        var dispatch = Host.Services.GetRequiredService<CampaignDispatchStore>();
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(id, (await dispatch.DispatchNextAsync(500, CancellationToken.None)).CampaignId);
        }

        Assert.Equal(handed, await CountAsync(id, "status <> 'pending'"));
        Assert.True(await CountAsync(id, "status = 'pending'") > 0);

        // A sending campaign's rate is not editable; the test lifts it so that the rest goes at once.
        await Host.Database.ScalarAsync<int>("update campaigns set send_rate = 10000 where id = $1 returning 1", id);
        using (var resumed = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/resume", null))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            Assert.Equal("active", (await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<string>("select status from campaigns where id = $1", id) == "completed",
            TimeSpan.FromSeconds(120)), "completed after the resume");
        // Everyone handed to the outbox once: none left pending, one message each (message ids are unique per recipient).
        Assert.Equal(0, await CountAsync(id, "status = 'pending'"));
        Assert.Equal(await CountAsync(id, "message_id is not null"), await Host.Database.ScalarAsync<long>(
            "select count(distinct m.message_id) from campaign_recipients r join outbound_messages m on m.message_id = r.message_id where r.campaign_id = $1", id));
        Assert.Equal(["campaign.create", "campaign.send", "campaign.pause", "campaign.resume"], await Host.Database.ScalarAsync<string[]>(
            "select array_agg(action order by id) from audit_logs where table_name = 'campaigns' and record_id = $1", id));
        using (var donePaused = await admin.Http.PostAsync($"/api/admin/marketing/campaigns/{id}/pause", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, donePaused.StatusCode);
        }
    }

    /// <summary>Subscribes <paramref name="count"/> generated addresses (prefix-1@..., prefix-2@...) to <paramref name="topic"/>.</summary>
    private Task<long> AddSubscribersAsync(string prefix, string topic, int count) =>
        Host.Database.ScalarAsync<long>(
            """
            with added as (
                insert into newsletter_subscriptions (email, status, subscribed_at, preferences)
                select $1 || '-' || i || '@example.com.br', 'subscribed', now(), jsonb_build_object('topics', jsonb_build_array($2::text))
                from generate_series(1, $3) i
                returning 1
            )
            select count(*) from added
            """, prefix, topic, count);

    private static async Task<long> CreateNewsletterCampaignAsync(SignedInClient admin, string name, string topic, int sendRate)
    {
        using var created = await admin.Http.PostAsJsonAsync("/api/admin/marketing/campaigns", new
        {
            name, template = "campaign_novidades", audience = "newsletter", newsletterTopic = topic, sendRatePerSecond = sendRate,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private Task<long> CountAsync(long campaign, string condition) =>
        Host.Database.ScalarAsync<long>($"select count(*) from campaign_recipients where campaign_id = $1 and {condition}", campaign);

    [GeneratedRegex("<img src=\"(?<url>[^\"]+/api/marketing/open/[^\"]+)\"")]
    private static partial Regex PixelSource();

    [GeneratedRegex("href=\"(?<url>[^\"]+/api/marketing/click/[^\"]+)\"")]
    private static partial Regex ClickHref();
}
