using Dapper;
using MestresCafe.Privacy;
using Npgsql;

namespace MestresCafe.Data.TextMessages;

/// <summary>A text a customer sent back, as the provider reported it.</summary>
public sealed record TextReply(string EventId, string From, string Body);

/// <summary>What a reply did: opted a customer's phone out, was an opt-out from a phone no account has, was kept as it is, or was seen before.</summary>
public enum TextReplyOutcome
{
    OptedOut,
    UnknownPhone,
    Kept,
    Duplicate,
}

/// <summary>
/// Inbound texts, recorded once per provider event id (text_replies) in the transaction that acts on
/// them: an opt-out reply appends, for every account with that phone, a withdrawn sms and whatsapp
/// marketing consent (source text_reply; the reply row keeps the words), which the text campaigns'
/// audience rule (<see cref="Marketing.MarketingTextSql"/>) reads. Service texts (order notices)
/// are not marketing and go on.
/// </summary>
public sealed class TextReplyStore(NpgsqlDataSource dataSource)
{
    public async Task<TextReplyOutcome> RecordAsync(string provider, TextReply reply, bool optOut, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // First, so that a simultaneous delivery of the same event waits here on the unique key and then finds it.
        var replyId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into text_replies (provider, external_event_id, from_phone, body, outcome)
            values (@provider, @EventId, @From, @Body, 'kept')
            on conflict (provider, external_event_id) do nothing
            returning id
            """, new { provider, reply.EventId, reply.From, reply.Body }, transaction, cancellationToken: cancellationToken));
        if (replyId is null)
        {
            return TextReplyOutcome.Duplicate;
        }

        var outcome = TextReplyOutcome.Kept;
        if (optOut)
        {
            var withdrawn = await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into marketing_consents (user_id, purpose, granted, source)
                select u.id, purpose, false, @Source
                from users u cross join unnest(@Purposes) as purpose
                where u.phone = @From
                """, new { reply.From, Source = MarketingConsent.TextReply, Purposes = new[] { MarketingConsent.Sms, MarketingConsent.WhatsApp } },
                transaction, cancellationToken: cancellationToken));
            outcome = withdrawn > 0 ? TextReplyOutcome.OptedOut : TextReplyOutcome.UnknownPhone;
            await connection.ExecuteAsync(new CommandDefinition(
                "update text_replies set outcome = @outcome where id = @replyId",
                new { outcome = outcome == TextReplyOutcome.OptedOut ? "opted_out" : "unknown_phone", replyId }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }
}
