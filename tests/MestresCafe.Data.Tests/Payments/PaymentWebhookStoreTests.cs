using MestresCafe.Data.Payments;
using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Payments;

/// <summary>
/// Recording a gateway event is idempotent also when its deliveries arrive at the same instant:
/// every delivery gets a status (one records it, the others find it), none fails.
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
    public async Task Simultaneous_deliveries_of_one_event_each_get_a_status_and_one_row_is_kept()
    {
        for (var round = 0; round < 25; round++)
        {
            var eventId = $"evt_{round}_{Guid.NewGuid():N}";
            var deliveries = Enumerable.Range(0, 6)
                .Select(_ => Task.Run(() => _store.RecordAsync("simulated", eventId, "payment.succeeded", "{}", CancellationToken.None)));

            var statuses = await Task.WhenAll(deliveries);

            Assert.All(statuses, status => Assert.Equal("processing", status));
            Assert.Equal(1, await _database.ScalarAsync<long>("select count(*) from payment_webhooks where external_event_id = $1", eventId));
        }
    }
}
