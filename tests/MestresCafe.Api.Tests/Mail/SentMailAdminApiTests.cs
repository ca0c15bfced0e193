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
}
