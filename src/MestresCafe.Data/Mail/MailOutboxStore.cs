using System.Text.Json;
using Dapper;
using Npgsql;

namespace MestresCafe.Data.Mail;

/// <summary>A message a sender holds under its lease.</summary>
public sealed record ClaimedMessage
{
    public long Id { get; init; }
    public Guid MessageId { get; init; }
    /// <summary>email, sms or whatsapp.</summary>
    public string Channel { get; init; } = "email";
    public string Template { get; init; } = "";
    public long? UserId { get; init; }
    public string Recipient { get; init; } = "";
    public JsonElement Data { get; init; }
    /// <summary>Counting this one.</summary>
    public int Attempts { get; init; }
    public Guid LeaseToken { get; init; }
}

/// <summary>
/// What was sent, as kept: the rendered subject and bodies (with any account link left out), the
/// server's reply, and the customer's in-app notification when the message has one.
/// </summary>
public sealed record SentMessage(string Subject, string? HtmlBody, string TextBody, string SmtpReply, string CommunicationType)
{
    public InAppNotice? Notice { get; init; }

    /// <summary>A text provider's id for the message, which its delivery receipts name.</summary>
    public string? ProviderMessageId { get; init; }
}

/// <summary>A claimed message the relay accepted, and what to keep of it.</summary>
public sealed record SentOutcome(ClaimedMessage Message, SentMessage Sent);

/// <summary>A notifications row shown under /api/me/notifications.</summary>
public sealed record InAppNotice(string Type, string Title, string Content);

/// <summary>
/// outbound_messages for the senders. Every server runs a sender; they share the queue through a
/// claim with a lease in SQL (<c>for update skip locked</c>) rather than a grain per message or per
/// stream: messages are independent (no order to keep between them), so any server may send any of
/// them, a claim costs one statement for a whole batch, and a server that dies mid-send leaves
/// rows whose lease lapses and another server takes them. Every later write is fenced by the
/// claim's lease token, so a sender whose lease lapsed cannot overwrite the new holder's outcome.
/// </summary>
public sealed class MailOutboxStore(NpgsqlDataSource dataSource)
{
    /// <summary>Claims up to <paramref name="batch"/> due e-mails (pending and due, or whose lease lapsed), oldest due first.</summary>
    public Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(int batch, TimeSpan lease, CancellationToken cancellationToken) =>
        ClaimAsync(EmailChannels, batch, lease, cancellationToken);

    private static readonly string[] EmailChannels = ["email"];

    /// <summary>The same claim for the messages of <paramref name="channels"/> (each channel has its own sender).</summary>
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(string[] channels, int batch, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.QueryAsync<ClaimedMessage>(new CommandDefinition(
            """
            with due as (
                select id from outbound_messages
                where channel = any(@channels)
                  and ((status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and lease_until <= now()))
                order by next_attempt_at, id
                limit @batch
                for update skip locked
            )
            update outbound_messages m
            set status = 'sending', attempts = m.attempts + 1, lease_token = gen_random_uuid(), lease_until = now() + @lease
            from due where m.id = due.id
            returning m.id, m.message_id, m.channel, m.template, m.user_id, m.recipient, m.data, m.attempts, m.lease_token
            """,
            new { channels, batch, lease }, cancellationToken: cancellationToken));
        return claimed.OrderBy(m => m.Id).ToList();
    }

    /// <summary>
    /// Records the message sent, with its row in customer_communications and its in-app notification
    /// (keyed by the message id), in one transaction; false when the lease was lost meanwhile.
    /// </summary>
    public async Task<bool> MarkSentAsync(ClaimedMessage message, SentMessage sent, CancellationToken cancellationToken) =>
        (await MarkSentAsync([new SentOutcome(message, sent)], cancellationToken)).Count == 1;

    /// <summary>
    /// Records a batch of sent messages in one statement (one round trip and one commit however many
    /// there are), each with its customer_communications row and in-app notification; each row is
    /// fenced by its own lease token. Returns the ids of the messages recorded: one missing had its
    /// lease pass to another sender meanwhile.
    /// </summary>
    public async Task<IReadOnlySet<long>> MarkSentAsync(IReadOnlyList<SentOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return new HashSet<long>();
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var recorded = await connection.QueryAsync<long>(new CommandDefinition(
            """
            with outcome as (
                select * from unnest(@ids::bigint[], @tokens::uuid[], @subjects::text[], @htmlBodies::text[], @textBodies::text[], @replies::text[],
                                     @providerIds::text[], @types::text[], @noticeTypes::text[], @noticeTitles::text[], @noticeContents::text[])
                    as o(id, lease_token, subject, html_body, text_body, smtp_reply, provider_message_id, communication_type, notice_type, notice_title, notice_content)
            ), sent as (
                update outbound_messages m
                set status = 'sent', sent_at = now(), subject = o.subject, html_body = o.html_body, text_body = o.text_body,
                    smtp_reply = o.smtp_reply, provider_message_id = o.provider_message_id, last_error = null, lease_token = null, lease_until = null
                from outcome o
                where m.id = o.id and m.lease_token = o.lease_token and m.status = 'sending'
                returning m.id, m.user_id, m.message_id, m.channel, m.subject, m.text_body, m.sent_at
            ), communication as (
                insert into customer_communications (customer_id, type, channel, subject, content, direction, sent_at, message_id)
                select c.id, o.communication_type, s.channel, left(s.subject, 200), s.text_body, 'outbound', s.sent_at, s.message_id
                from sent s join outcome o on o.id = s.id join customers c on c.user_id = s.user_id
            ), notice as (
                insert into notifications (user_id, type, title, content, data, event_id)
                select s.user_id, o.notice_type, left(o.notice_title, 200), o.notice_content, jsonb_build_object('message_id', s.message_id), s.message_id
                from sent s join outcome o on o.id = s.id where o.notice_type is not null and s.user_id is not null
                on conflict (event_id) do nothing
            )
            select id from sent
            """,
            new
            {
                ids = outcomes.Select(o => o.Message.Id).ToArray(),
                tokens = outcomes.Select(o => o.Message.LeaseToken).ToArray(),
                subjects = outcomes.Select(o => o.Sent.Subject).ToArray(),
                htmlBodies = outcomes.Select(o => o.Sent.HtmlBody).ToArray(),
                textBodies = outcomes.Select(o => o.Sent.TextBody).ToArray(),
                replies = outcomes.Select(o => o.Sent.SmtpReply).ToArray(),
                providerIds = outcomes.Select(o => o.Sent.ProviderMessageId).ToArray(),
                types = outcomes.Select(o => o.Sent.CommunicationType).ToArray(),
                noticeTypes = outcomes.Select(o => o.Sent.Notice?.Type).ToArray(),
                noticeTitles = outcomes.Select(o => o.Sent.Notice?.Title).ToArray(),
                noticeContents = outcomes.Select(o => o.Sent.Notice?.Content).ToArray(),
            },
            cancellationToken: cancellationToken));
        return recorded.ToHashSet();
    }

    /// <summary>Gives the message back to the queue, due again after <paramref name="delay"/>.</summary>
    public Task<bool> RetryLaterAsync(ClaimedMessage message, TimeSpan delay, string error, string? smtpReply, CancellationToken cancellationToken) =>
        ReleaseAsync(
            "status = 'pending', next_attempt_at = now() + @delay",
            new { message.Id, message.LeaseToken, delay, error, smtpReply }, cancellationToken);

    /// <summary>Records the message as failed for good, with the server's reply.</summary>
    public Task<bool> MarkFailedAsync(ClaimedMessage message, string error, string? smtpReply, CancellationToken cancellationToken) =>
        ReleaseAsync("status = 'failed', failed_at = now()", new { message.Id, message.LeaseToken, error, smtpReply }, cancellationToken);

    private async Task<bool> ReleaseAsync(string set, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            update outbound_messages
            set {set}, last_error = left(@error, 2000), smtp_reply = left(@smtpReply, 1000), lease_token = null, lease_until = null
            where id = @Id and lease_token = @LeaseToken and status = 'sending'
            """,
            parameters, cancellationToken: cancellationToken)) == 1;
    }
}
