using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.DevMail;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Mail;

public sealed class SentMailAdminApiTests(MailHostFixture fixture) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task Support_sees_sent_and_failed_mail_with_the_relays_reply_and_the_html_sent()
    {
        using var support = await fixture.Host.CreateSignedInClientAsync("support");
        var tag = Guid.NewGuid().ToString("N")[..10];
        var sent = await OutboundQueue.EnqueueAsync(fixture.Host, $"ok.{tag}@example.com.br");
        var refused = await OutboundQueue.EnqueueAsync(fixture.Host, $"no.{tag}@{DevMailServer.RefusedDomain}");
        Assert.True(await OutboundQueue.WaitAllSentAsync(fixture.Host, [sent]));
        Assert.True(await Eventually.TrueAsync(async () => await OutboundQueue.StatusAsync(fixture.Host, refused) == "failed"));

        var page = await support.Http.GetFromJsonAsync<JsonElement>($"/api/admin/mail/messages?recipient={tag}");
        var failedOnly = await support.Http.GetFromJsonAsync<JsonElement>($"/api/admin/mail/messages?recipient={tag}&status=failed");

        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal((1, 1), (page.GetProperty("byStatus").GetProperty("sent").GetInt32(), page.GetProperty("byStatus").GetProperty("failed").GetInt32()));
        var failed = Assert.Single(failedOnly.GetProperty("items").EnumerateArray());
        Assert.StartsWith("550", failed.GetProperty("smtpReply").GetString(), StringComparison.Ordinal);
        var sentRow = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("status").GetString() == "sent");
        var detail = await support.Http.GetFromJsonAsync<JsonElement>($"/api/admin/mail/messages/{sentRow.GetProperty("id").GetInt64()}");
        Assert.Contains("CNPJ", detail.GetProperty("htmlBody").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_message_queued_again_is_audited_and_only_failed_ones_can_be()
    {
        using var admin = await fixture.Host.CreateSignedInClientAsync("admin");
        var refused = await OutboundQueue.EnqueueAsync(fixture.Host, $"no.{Guid.NewGuid():N}@{DevMailServer.RefusedDomain}");
        Assert.True(await Eventually.TrueAsync(async () => await OutboundQueue.StatusAsync(fixture.Host, refused) == "failed"));
        var id = await fixture.Host.Database.ScalarAsync<long>("select id from outbound_messages where message_id = $1", refused);
        var delivered = await OutboundQueue.EnqueueAsync(fixture.Host, OutboundQueue.NewRecipient());
        Assert.True(await OutboundQueue.WaitAllSentAsync(fixture.Host, [delivered]));
        var deliveredId = await fixture.Host.Database.ScalarAsync<long>("select id from outbound_messages where message_id = $1", delivered);

        using var retried = await admin.Http.PostAsync($"/api/admin/mail/messages/{id}/retry", null);
        using var notFailed = await admin.Http.PostAsync($"/api/admin/mail/messages/{deliveredId}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFailed.StatusCode);
        Assert.Equal(1, await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'mail.retry' and record_id = $1 and user_id = $2", id, admin.UserId));
        // The relay still refuses it: tried once more and failed again.
        Assert.True(await Eventually.TrueAsync(async () => await OutboundQueue.StatusAsync(fixture.Host, refused) == "failed"));
    }

    [Fact]
    public async Task Customers_cannot_see_the_mail_list()
    {
        using var customer = await fixture.Host.CreateSignedInClientAsync("customer");

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.GetAsync("/api/admin/mail/messages")).StatusCode);
    }

    [Fact]
    public async Task The_html_view_is_sanitized_sandboxed_audited_and_for_staff_only()
    {
        using var support = await fixture.Host.CreateSignedInClientAsync("support");
        using var customer = await fixture.Host.CreateSignedInClientAsync("customer");
        const string Stored =
            """
            <!doctype html><html><head><title>Pedido</title><script>steal()</script></head>
            <body style="background:#f6f1eb"><table role="presentation" cellpadding="4"><tr><td style="color:#2b1d14">Olá, <b>Ana</b>!</td></tr></table>
            <img src="https://mestres.cafe/logo.png" onerror="steal()"><a href="javascript:steal()">clique</a>
            <iframe src="https://example.com"></iframe><form action="https://example.com"><input name="senha"></form></body></html>
            """;
        var id = await fixture.Host.Database.ScalarAsync<long>(
            """
            insert into outbound_messages (message_id, template, recipient, status, subject, html_body, text_body, sent_at)
            values (gen_random_uuid(), 'order_received', 'ana.html@example.com.br', 'sent', 'Pedido', $1, 'Olá, Ana!', now()) returning id
            """, Stored);

        using var response = await support.Http.GetAsync($"/api/admin/mail/messages/{id}/html");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("sandbox;", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("Olá, <b>Ana</b>!", html, StringComparison.Ordinal);
        Assert.Contains("style=\"color", html, StringComparison.Ordinal);
        Assert.Contains("https://mestres.cafe/logo.png", html, StringComparison.Ordinal);
        foreach (var removed in new[] { "<script", "steal()", "javascript:", "<iframe", "<form", "<input" })
        {
            Assert.DoesNotContain(removed, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(1, await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'mail.view' and record_id = $1 and user_id = $2", id, support.UserId));
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.GetAsync($"/api/admin/mail/messages/{id}/html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await support.Http.GetAsync($"/api/admin/mail/messages/{long.MaxValue}/html")).StatusCode);
        Assert.Equal(1, await fixture.Host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'mail.view'"));
    }
}
