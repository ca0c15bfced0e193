using System.Security.Cryptography;
using System.Text;
using MestresCafe.Notifications;
using Npgsql;

namespace MestresCafe.Data.Mail;

/// <summary>
/// A message to send to a user, written in the transaction of what caused it: the template's name
/// and the data it is rendered with (serialized JSON). <see cref="MessageId"/> comes from the causing
/// event (<see cref="OutboundMessageIds.For"/>), so the same event queues it once however often it
/// is replayed. <see cref="Category"/> is one of <see cref="NotificationCategories"/>: an optional
/// one is queued only when the user has not turned it off.
/// </summary>
public sealed record OutboundMessageRequest(Guid MessageId, string Template, long UserId, string DataJson)
{
    public string Category { get; init; } = NotificationCategories.Transactional;

    /// <summary>When the message is due (a review request days after delivery); now when null.</summary>
    public DateTimeOffset? DueAt { get; init; }
}

public static class OutboundMessageIds
{
    /// <summary>The id of the message <paramref name="template"/> caused by the event <paramref name="eventId"/>: the same pair gives the same id on every server.</summary>
    public static Guid For(Guid eventId, string template)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{eventId:N}:{template}"), hash);
        // RFC 9562 version 8 (custom) and variant bits, so it reads as a well-formed UUID.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>The id of a message sent once in a user's life (welcome): the user's id stands in for the event.</summary>
    public static Guid ForUser(long userId, string template) => For(new Guid(0, 0, 0, BitConverter.GetBytes(userId)), template);
}

/// <summary>The insert other stores add to their own transaction or batch.</summary>
public static class OutboundMessageSql
{
    /// <summary>
    /// Queues a message to the user's current e-mail, with their first name added to the data;
    /// nothing when the user is gone, turned the message's category off, or the message id was
    /// queued before. Positional: message id, template, user id, data (jsonb), category, due time
    /// (null: now). When the e-mail is queued and the user chose a text channel and has a phone, the
    /// same statement queues the text too (only for a template with a short notice to send), under
    /// <see cref="TextMessageId"/>: a replay queues neither.
    /// </summary>
    public const string EnqueueForUser =
        $"""
        with mail as (
            insert into outbound_messages (message_id, template, user_id, recipient, data, next_attempt_at)
            select $1, $2, u.id, u.email, jsonb_build_object('first_name', coalesce(u.first_name, '')) || $4, coalesce($6, now())
            from users u where u.id = $3 and {Wanted}
            on conflict (message_id) do nothing
            returning user_id, data, next_attempt_at
        )
        insert into outbound_messages (message_id, channel, template, user_id, recipient, data, next_attempt_at)
        select {TextMessageId}, p.channel, $2, m.user_id, u.phone, m.data, m.next_attempt_at
        from mail m join users u on u.id = m.user_id join text_message_preferences p on p.user_id = m.user_id
        where u.phone is not null and exists (select 1 from notification_templates t where t.name = $2 and t.is_active)
        on conflict (message_id) do nothing
        """;

    /// <summary>The text's message id, derived from the e-mail's (<c>$1</c>) the same way on every server.</summary>
    public const string TextMessageId = "md5($1::text || ':text')::uuid";

    /// <summary>
    /// The condition on a user row <c>u</c> and a category in <c>$5</c>: transactional, or an
    /// optional category the user has not turned off (no row: the default, on).
    /// </summary>
    public const string Wanted =
        $"""
        ($5::text = '{NotificationCategories.Transactional}'
             or coalesce((select p.enabled from notification_preferences p where p.user_id = u.id and p.category = $5), true))
        """;

    public static NpgsqlBatchCommand Enqueue(OutboundMessageRequest request) => SqlCommands.Batched(EnqueueForUser, Values(request));

    /// <summary>The same insert as one command of the caller's transaction (a store outside a batch).</summary>
    public static async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboundMessageRequest request, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(EnqueueForUser, connection, transaction);
        command.Parameters.AddPositional(Values(request));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object?[] Values(OutboundMessageRequest request) =>
        [request.MessageId, request.Template, request.UserId, SqlCommands.Jsonb(request.DataJson), request.Category, SqlCommands.TimestampTz(request.DueAt)];
}
