using Dapper;
using Npgsql;
using static MestresCafe.Data.SqlCommands;

namespace MestresCafe.Data.Payments;

/// <summary>
/// payment_webhooks: one row per gateway event id. An event applied to its order is recorded by the
/// order's projection, in the transaction that writes the event's effects (<see cref="RecordApplied"/>);
/// a delivery the order refused or could not take is recorded here, on the webhook's path.
/// </summary>
public sealed class PaymentWebhookStore(NpgsqlDataSource dataSource)
{
    /// <summary>The longest event type the table keeps; a longer one is cut there.</summary>
    public const int MaxEventTypeLength = 100;

    /// <summary>
    /// Records a delivery that was not applied, in one statement: the first delivery of an event
    /// inserts its row with how processing ended (failed with the reason, or ignored); a redelivery
    /// of an event not processed yet records the new outcome, and one already processed changes
    /// nothing. Returns the status the event had before (null for a first delivery).
    /// </summary>
    public async Task<string?> RecordAsync(
        string provider, string eventId, string eventType, string payloadJson, string status, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"""
            with previous as (
                select status from payment_webhooks where provider = @provider and external_event_id = @eventId
            ), recorded as (
                {Upsert("@provider", "@eventType", "@payloadJson::jsonb", "@status", "@eventId", "now()", "@error")}
                returning 1
            )
            select status from previous
            """, new { provider, eventId, eventType = Truncated(eventType), payloadJson, status, error }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The order projection's statement for an event its order applied: processed, as of when it
    /// was applied. Applying the same outbox twice changes nothing (a processed row is never changed).
    /// </summary>
    public static NpgsqlBatchCommand RecordApplied(AppliedPaymentWebhook webhook) => Batched(
        Upsert("$1", "$2", "$3", "'processed'", "$4", "$5", "null"),
        webhook.Provider, Truncated(webhook.EventType), Jsonb(webhook.Payload), webhook.ExternalEventId, TimestampTz(webhook.AppliedAt));

    /// <summary>
    /// One insert for both paths: a redelivery of an event not processed yet takes the new outcome
    /// (and counts a retry); a processed row is final.
    /// </summary>
    private static string Upsert(string provider, string eventType, string payload, string status, string eventId, string processedAt, string error) =>
        $"""
        insert into payment_webhooks (provider, event_type, payload, status, external_event_id, processed_at, error_message)
        values ({provider}, {eventType}, {payload}, {status}, {eventId}, {processedAt}, {error})
        on conflict (provider, external_event_id) do update
            set status = excluded.status, processed_at = excluded.processed_at, error_message = excluded.error_message,
                retry_count = payment_webhooks.retry_count + 1
            where payment_webhooks.status <> 'processed'
        """;

    private static string Truncated(string eventType) => eventType.Length > MaxEventTypeLength ? eventType[..MaxEventTypeLength] : eventType;
}

/// <summary>A gateway delivery whose event its order applied.</summary>
public sealed record AppliedPaymentWebhook(string Provider, string ExternalEventId, string EventType, string Payload, DateTimeOffset AppliedAt);
