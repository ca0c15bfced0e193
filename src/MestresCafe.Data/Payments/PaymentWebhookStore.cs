using Dapper;
using Npgsql;

namespace MestresCafe.Data.Payments;

/// <summary>
/// payment_webhooks: one row per gateway event id. Recording is idempotent, so a redelivery finds
/// the status the first delivery left.
/// </summary>
public sealed class PaymentWebhookStore(NpgsqlDataSource dataSource)
{
    /// <summary>Inserts the delivery once as 'processing'; returns the status it already had if it was seen before.</summary>
    public async Task<string> RecordAsync(string provider, string eventId, string eventType, string payloadJson, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            with inserted as (
                insert into payment_webhooks (provider, event_type, payload, status, external_event_id)
                values (@provider, @eventType, @payloadJson::jsonb, 'processing', @eventId)
                on conflict (provider, external_event_id) do nothing
                returning status
            )
            select status from inserted
            union all
            select status from payment_webhooks where provider = @provider and external_event_id = @eventId and not exists (select 1 from inserted)
            """, new { provider, eventId, eventType, payloadJson }, cancellationToken: cancellationToken));

        // Two deliveries of one event at the same instant: this statement waited for the other's
        // insert to commit and skipped its own, but its snapshot was taken before that commit, so
        // its own read finds nothing. A new statement (a new snapshot) sees the committed row.
        status ??= await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select status from payment_webhooks where provider = @provider and external_event_id = @eventId",
            new { provider, eventId }, cancellationToken: cancellationToken));
        return status ?? throw new InvalidOperationException("payment_webhooks returned no status.");
    }

    /// <summary>Records how processing ended: processed, failed (with the reason) or ignored.</summary>
    public async Task MarkAsync(string provider, string eventId, string status, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update payment_webhooks set status = @status, processed_at = now(), error_message = @error, retry_count = retry_count + 1
            where provider = @provider and external_event_id = @eventId
            """, new { provider, eventId, status, error }, cancellationToken: cancellationToken));
    }
}
