using Dapper;
using Npgsql;

namespace MestresCafe.Data.TextMessages;

/// <summary>A provider's delivery receipt for one text.</summary>
public sealed record TextReceipt(string EventId, string ProviderMessageId, string Status, DateTimeOffset OccurredAt, string? Error);

/// <summary>What a receipt did: applied, stale (the message was already further on), unknown (no such message) or duplicate (seen before).</summary>
public enum TextReceiptOutcome
{
    Applied,
    Stale,
    Unknown,
    Duplicate,
}

/// <summary>
/// Delivery receipts of texts, recorded once per provider event id in the transaction that applies
/// them: a redelivered receipt changes nothing. A message's delivery status only moves forward
/// (none -> delivered -> read, none -> undelivered): providers send receipts out of order, and a late
/// "delivered" must not undo "read". Read sets the message's history row read as well.
/// </summary>
public sealed class TextMessageReceiptStore(NpgsqlDataSource dataSource)
{
    public async Task<TextReceiptOutcome> RecordAsync(string provider, TextReceipt receipt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // First, so that a simultaneous delivery of the same event waits here on the unique key and then finds it.
        var receiptId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into text_message_receipts (provider, external_event_id, provider_message_id, status, outcome, error, occurred_at)
            values (@provider, @EventId, @ProviderMessageId, @Status, 'unknown', left(@Error, 500), @OccurredAt)
            on conflict (provider, external_event_id) do nothing
            returning id
            """,
            new { provider, receipt.EventId, receipt.ProviderMessageId, receipt.Status, receipt.Error, receipt.OccurredAt },
            transaction, cancellationToken: cancellationToken));
        if (receiptId is null)
        {
            return TextReceiptOutcome.Duplicate;
        }

        var outcome = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            with message as (
                select id, message_id, delivery_status from outbound_messages
                where channel in ('sms', 'whatsapp') and provider_message_id = @ProviderMessageId
                for update
            ), moved as (
                update outbound_messages o
                set delivery_status = @Status,
                    delivered_at = coalesce(o.delivered_at, case when @Status in ('delivered', 'read') then @OccurredAt end),
                    last_error = case when @Status = 'undelivered' then left(@Error, 2000) else o.last_error end
                from message m
                where o.id = m.id
                  and (m.delivery_status is null or (m.delivery_status = 'delivered' and @Status = 'read'))
                returning o.message_id
            ), history as (
                update customer_communications c set read_at = coalesce(c.read_at, @OccurredAt)
                from moved where @Status = 'read' and c.message_id = moved.message_id
            )
            select case when exists (select 1 from moved) then 'applied' when exists (select 1 from message) then 'stale' else 'unknown' end
            """,
            new { receipt.ProviderMessageId, receipt.Status, receipt.Error, receipt.OccurredAt },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "update text_message_receipts set outcome = @outcome where id = @receiptId", new { outcome, receiptId }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return Enum.Parse<TextReceiptOutcome>(outcome!, ignoreCase: true);
    }
}
