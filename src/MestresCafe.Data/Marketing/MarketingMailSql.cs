using MestresCafe.Marketing;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>
/// Queues a marketing e-mail (a campaign's, an automation's) in the mail outbox, in the caller's
/// transaction, only to someone who may receive it: an active, not erased account whose latest
/// e-mail marketing consent is granted and whose address has not unsubscribed, bounced or
/// complained. The message carries <see cref="MarketingMessageData"/>, so the composer gives it the
/// unsubscribe link and the List-Unsubscribe / List-Unsubscribe-Post headers (RFC 8058).
/// </summary>
public static class MarketingMailSql
{
    /// <summary>The condition on a users row <c>u</c>: this account may receive marketing e-mail now.</summary>
    public const string Reachable =
        """
        (u.is_active
         and not exists (select 1 from personal_data_erasures e where e.user_id = u.id)
         and coalesce((select mc.granted from marketing_consents mc
                        where mc.user_id = u.id and mc.purpose = 'email_marketing'
                        order by mc.recorded_at desc, mc.id desc limit 1), false)
         and not exists (select 1 from newsletter_subscriptions n
                         where n.email = u.email and n.status in ('unsubscribed', 'bounced', 'complained')))
        """;

    /// <summary>
    /// Positional: message id, template, user id, data (jsonb object). The user's first name and the
    /// marketing marker are added to the data; nothing is queued when the user may not receive
    /// marketing or the message id was queued before.
    /// </summary>
    public const string EnqueueForUser =
        $$"""
        insert into outbound_messages (message_id, template, user_id, recipient, data)
        select $1, $2, u.id, u.email,
               jsonb_build_object('first_name', coalesce(u.first_name, '')) || $4
               || jsonb_build_object('{{MarketingMessageData.Field}}', jsonb_build_object('{{MarketingMessageData.Unsubscribe}}', 'u' || u.id))
        from users u
        where u.id = $3 and {{Reachable}}
        on conflict (message_id) do nothing
        """;

    /// <summary>Queues the message in the caller's transaction; false when nothing was queued (not reachable, or queued before).</summary>
    public static async Task<bool> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid messageId, string template, long userId, string dataJson, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(EnqueueForUser, connection, transaction);
        command.Parameters.AddPositional(messageId, template, userId, SqlCommands.Jsonb(dataJson));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The same insert as one command of a projection's batch.</summary>
    public static NpgsqlBatchCommand Enqueue(Guid messageId, string template, long userId, string dataJson) =>
        SqlCommands.Batched(EnqueueForUser, messageId, template, userId, SqlCommands.Jsonb(dataJson));
}
