using Dapper;
using Npgsql;

namespace MestresCafe.Data.Payments;

/// <summary>
/// payment_webhooks: one row per gateway event id, written once the event was applied to its order
/// (one statement on the webhook's path; the order grain itself ignores an event it already applied).
/// </summary>
public sealed class PaymentWebhookStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Records a delivery once it was applied to its order, in one statement: the first delivery of
    /// an event inserts its row with how processing ended (processed, failed with the reason, or
    /// ignored); a redelivery of an event not processed yet records the new outcome, and one already
    /// processed changes nothing. Returns the status the event had before (null for a first delivery).
    /// </summary>
    public async Task<string?> RecordAsync(
        string provider, string eventId, string eventType, string payloadJson, string status, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            with previous as (
                select status from payment_webhooks where provider = @provider and external_event_id = @eventId
            ), recorded as (
                insert into payment_webhooks (provider, event_type, payload, status, external_event_id, processed_at, error_message)
                values (@provider, @eventType, @payloadJson::jsonb, @status, @eventId, now(), @error)
                on conflict (provider, external_event_id) do update
                    set status = excluded.status, processed_at = now(), error_message = excluded.error_message,
                        retry_count = payment_webhooks.retry_count + 1
                    where payment_webhooks.status <> 'processed'
                returning 1
            )
            select status from previous
            """, new { provider, eventId, eventType, payloadJson, status, error }, cancellationToken: cancellationToken));
    }
}
