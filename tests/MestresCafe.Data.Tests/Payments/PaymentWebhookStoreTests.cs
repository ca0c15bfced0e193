using MestresCafe.Data.Payments;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Payments;

/// <summary>
/// Recording a gateway event once it was applied is idempotent also when its deliveries arrive at
/// the same instant: every delivery is recorded without an error and one row is kept; an event
/// already processed is never changed by a later delivery, which learns that it was processed.
/// </summary>
public sealed class PaymentWebhookStoreTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private PaymentWebhookStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(PaymentWebhookStoreTests));
        _store = new PaymentWebhookStore(_database.DataSource);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Simultaneous_deliveries_of_one_event_are_all_recorded_and_one_row_is_kept()
    {
        for (var round = 0; round < 25; round++)
        {
            var eventId = $"evt_{round}_{Guid.NewGuid():N}";
            var deliveries = Enumerable.Range(0, 6)
                .Select(_ => Task.Run(() => _store.RecordAsync("simulated", eventId, "payment.succeeded", "{}", "processed", null, CancellationToken.None)));

            var previous = await Task.WhenAll(deliveries);

            Assert.All(previous, status => Assert.True(status is null or "processed", $"unexpected previous status {status}"));
            Assert.Equal(1, await _database.ScalarAsync<long>("select count(*) from payment_webhooks where external_event_id = $1", eventId));
            Assert.Equal("processed", await _database.ScalarAsync<string>("select status from payment_webhooks where external_event_id = $1", eventId));
        }
    }

    [Fact]
    public async Task A_processed_event_is_never_changed_and_a_failed_one_takes_the_next_outcome()
    {
        Assert.Null(await _store.RecordAsync("simulated", "evt_done", "payment.succeeded", "{}", "processed", null, CancellationToken.None));
        Assert.Equal("processed", await _store.RecordAsync("simulated", "evt_done", "payment.succeeded", "{}", "failed", "late", CancellationToken.None));
        Assert.Equal("processed", await _database.ScalarAsync<string>("select status from payment_webhooks where external_event_id = 'evt_done'"));
        Assert.True(await _database.ScalarAsync<bool>("select error_message is null from payment_webhooks where external_event_id = 'evt_done'"));

        Assert.Null(await _store.RecordAsync("simulated", "evt_retry", "payment.succeeded", "{}", "failed", "amount differs", CancellationToken.None));
        Assert.Equal("failed", await _store.RecordAsync("simulated", "evt_retry", "payment.succeeded", "{}", "processed", null, CancellationToken.None));
        Assert.Equal("processed", await _database.ScalarAsync<string>("select status from payment_webhooks where external_event_id = 'evt_retry'"));
        Assert.Equal(1, await _database.ScalarAsync<int>("select retry_count from payment_webhooks where external_event_id = 'evt_retry'"));
    }

    [Fact]
    public async Task An_applied_event_recorded_by_the_projection_overrides_an_earlier_refusal_once_and_is_final()
    {
        // The first delivery arrived before its order could take it; the second was applied.
        Assert.Null(await _store.RecordAsync("simulated", "evt_late", "payment.captured", """{"id":"evt_late"}""", "ignored", "order not found", CancellationToken.None));
        var applied = new AppliedPaymentWebhook("simulated", "evt_late", "payment.captured", """{"id":"evt_late"}""", new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.FromHours(-3)));
        await RecordAppliedAsync(applied);
        await RecordAppliedAsync(applied); // the same outbox projected again

        Assert.Equal("processed", await _database.ScalarAsync<string>("select status from payment_webhooks where external_event_id = 'evt_late'"));
        Assert.True(await _database.ScalarAsync<bool>("select error_message is null from payment_webhooks where external_event_id = 'evt_late'"));
        Assert.Equal(1, await _database.ScalarAsync<int>("select retry_count from payment_webhooks where external_event_id = 'evt_late'"));
        Assert.Equal("evt_late", await _database.ScalarAsync<string>("select payload ->> 'id' from payment_webhooks where external_event_id = 'evt_late'"));
        Assert.True(await _database.ScalarAsync<bool>(
            "select processed_at = timestamptz '2026-12-03 12:00:00+00' from payment_webhooks where external_event_id = 'evt_late'"));

        // A later refused delivery learns that the event was processed and changes nothing.
        Assert.Equal("processed", await _store.RecordAsync("simulated", "evt_late", "payment.captured", "{}", "failed", "late", CancellationToken.None));
        Assert.Equal("processed", await _database.ScalarAsync<string>("select status from payment_webhooks where external_event_id = 'evt_late'"));
    }

    private async Task RecordAppliedAsync(AppliedPaymentWebhook webhook)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var batch = new Npgsql.NpgsqlBatch(connection) { BatchCommands = { PaymentWebhookStore.RecordApplied(webhook) } };
        await batch.ExecuteNonQueryAsync();
    }
}
