using MestresCafe.Api.Mail;
using MestresCafe.DevMail;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Tests.Mail;

/// <summary>The delivery pipeline against a real SMTP server: outbox row first, then the background sender.</summary>
public sealed class MailDeliveryTests(MailHostFixture fixture) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task Each_queued_message_is_delivered_once_with_its_content()
    {
        var recipients = Enumerable.Range(0, 5).Select(_ => OutboundQueue.NewRecipient()).ToList();
        var ids = new List<Guid>();
        foreach (var recipient in recipients)
        {
            ids.Add(await OutboundQueue.EnqueueAsync(fixture.Host, recipient, "Beatriz"));
        }

        Assert.True(await OutboundQueue.WaitAllSentAsync(fixture.Host, ids));
        for (var i = 0; i < recipients.Count; i++)
        {
            var message = Assert.Single(fixture.Mail.MessagesTo(recipients[i]));
            Assert.Equal("Tentativa de cadastro com o seu e-mail", message.Subject);
            Assert.Equal($"{ids[i]:N}@mestres.cafe", message.MessageId);
            Assert.Equal("loja@mestres.cafe", message.From.Mailboxes.Single().Address);
            Assert.Contains("Olá, Beatriz.", message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Olá, Beatriz.", message.HtmlBody, StringComparison.Ordinal);
            // The shared layout's footer, in both bodies.
            Assert.Contains("CNPJ", message.TextBody, StringComparison.Ordinal);
            Assert.Contains("CNPJ", message.HtmlBody, StringComparison.Ordinal);
        }

        var recorded = await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where message_id = any($1) and subject = 'Tentativa de cadastro com o seu e-mail' and smtp_reply is not null and attempts = 1",
            ids.ToArray());
        Assert.Equal(recipients.Count, recorded);
    }

    [Fact]
    public async Task Queueing_the_same_message_id_twice_keeps_one_message()
    {
        var recipient = OutboundQueue.NewRecipient();
        var id = await OutboundQueue.EnqueueAsync(fixture.Host, recipient);
        var again = await fixture.Host.Database.ScalarAsync<long>(
            """
            with again as (
                insert into outbound_messages (message_id, template, recipient) values ($1, 'registration_attempt', $2)
                on conflict (message_id) do nothing returning 1
            ) select count(*) from again
            """, id, recipient);

        Assert.Equal(0, again);
        Assert.True(await OutboundQueue.WaitAllSentAsync(fixture.Host, [id]));
        Assert.Single(fixture.Mail.MessagesTo(recipient));
    }

    [Fact]
    public async Task A_message_claimed_by_a_server_that_died_before_sending_is_delivered_once()
    {
        // The row as a server leaves it when it dies after its claim and before the relay saw the message.
        var recipient = OutboundQueue.NewRecipient();
        var id = await fixture.Host.Database.ScalarAsync<Guid>(
            """
            insert into outbound_messages (message_id, template, recipient, data, status, attempts, lease_token, lease_until)
            values (gen_random_uuid(), 'registration_attempt', $1, '{"first_name": "Ana"}', 'sending', 1, gen_random_uuid(), now() + interval '1 second')
            returning message_id
            """, recipient);

        Assert.True(await OutboundQueue.WaitAllSentAsync(fixture.Host, [id]));
        Assert.Single(fixture.Mail.MessagesTo(recipient));
        Assert.Equal(2, await fixture.Host.Database.ScalarAsync<int>("select attempts from outbound_messages where message_id = $1", id));
    }

    [Fact]
    public async Task Messages_queued_while_the_relay_is_down_are_all_delivered_once_it_is_back()
    {
        await fixture.Mail.StopAsync();
        var recipients = Enumerable.Range(0, 4).Select(_ => OutboundQueue.NewRecipient()).ToList();
        var ids = new List<Guid>();
        try
        {
            foreach (var recipient in recipients)
            {
                ids.Add(await OutboundQueue.EnqueueAsync(fixture.Host, recipient));
            }

            // Every message was tried and failed at least twice (backing off), and is still queued.
            Assert.True(await Eventually.TrueAsync(async () => await fixture.Host.Database.ScalarAsync<long>(
                "select count(*) from outbound_messages where message_id = any($1) and status = 'pending' and attempts >= 2 and last_error is not null",
                ids.ToArray()) == ids.Count, TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await fixture.Mail.StartAgainAsync();
        }

        Assert.True(await OutboundQueue.WaitAllSentAsync(fixture.Host, ids));
        foreach (var recipient in recipients)
        {
            Assert.Single(fixture.Mail.MessagesTo(recipient));
        }
    }

    [Fact]
    public async Task A_recipient_the_relay_refuses_for_good_is_recorded_failed_with_its_reply()
    {
        var recipient = $"ninguem.{Guid.NewGuid():N}@{DevMailServer.RefusedDomain}";
        var id = await OutboundQueue.EnqueueAsync(fixture.Host, recipient);

        Assert.True(await Eventually.TrueAsync(async () => await OutboundQueue.StatusAsync(fixture.Host, id) == "failed", TimeSpan.FromSeconds(30)));
        var reply = await fixture.Host.Database.ScalarAsync<string>("select smtp_reply from outbound_messages where message_id = $1", id);
        Assert.StartsWith("550", reply, StringComparison.Ordinal);
        Assert.Equal(1, await fixture.Host.Database.ScalarAsync<int>("select attempts from outbound_messages where message_id = $1", id));
        Assert.Empty(fixture.Mail.MessagesTo(recipient));
    }

    [Fact]
    public async Task Two_senders_sharing_the_queue_deliver_each_message_once()
    {
        var recipients = Enumerable.Range(0, 40).Select(_ => OutboundQueue.NewRecipient()).ToList();
        var ids = new List<Guid>();
        foreach (var recipient in recipients)
        {
            ids.Add(await OutboundQueue.EnqueueAsync(fixture.Host, recipient));
        }

        // A second sender beside the server's own, claiming from the same table: what a second server does.
        var second = ActivatorUtilities.CreateInstance<MailSender>(fixture.Host.Services);
        var secondClaimed = 0;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            secondClaimed += await second.SendDueAsync(CancellationToken.None);
            return await OutboundQueue.AllSentAsync(fixture.Host, ids);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10)));

        foreach (var recipient in recipients)
        {
            Assert.Single(fixture.Mail.MessagesTo(recipient));
        }
    }
}
