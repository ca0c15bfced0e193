using MestresCafe.Data.Scheduling;
using MestresCafe.Grains.Scheduling;
using MestresCafe.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MestresCafe.Api.Tests.Scheduling;

/// <summary>The maintenance tasks against a migrated database: partitions ahead, and retention that keeps what is in its window.</summary>
public sealed class MaintenanceTaskTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(MaintenanceTaskTests));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(NpgsqlDataSource.Create(_database.ConnectionString));
        // Small batches, so that a purge takes several.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Maintenance:BatchSize"] = "3" }).Build();
        services.AddMestresScheduler(configuration);
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Partitions_are_created_three_months_ahead_and_rows_in_a_default_partition_raise_a_warning()
    {
        // The migrations created months up to 2027-12: take the third month ahead away first.
        var ahead = await _database.ScalarAsync<string>(
            "select to_char(date_trunc('month', now() at time zone 'UTC') + interval '3 months', 'YYYY_MM')");
        await _database.ExecuteAsync($"drop table if exists audit_logs_{ahead}; drop table if exists system_logs_{ahead}; drop table if exists inventory_movements_{ahead}");
        var task = ActivatorUtilities.CreateInstance<PartitionMaintenance>(_services);

        var created = await task.RunOnceAsync(CancellationToken.None);

        Assert.Equal(3, created);
        foreach (var table in new[] { "audit_logs", "system_logs", "inventory_movements" })
        {
            Assert.True(await _database.ScalarAsync<bool>($"select to_regclass('{table}_{ahead}') is not null"), $"{table}_{ahead} missing");
        }

        Assert.Equal(0, await task.RunOnceAsync(CancellationToken.None)); // idempotent
        Assert.Equal(0, await WarningsAsync());

        // A row far in the future lands in the default partition: the next run says so.
        await _database.ExecuteAsync(
            "insert into system_logs (level, message, created_at) values ('information', 'from the future', '2099-01-01T00:00:00Z')");
        await task.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, await WarningsAsync());
    }

    [Fact]
    public async Task Retention_deletes_only_what_is_past_its_window()
    {
        await _database.ExecuteAsync(
            """
            insert into login_attempts (email, success, attempted_at)
            select 'a@example.com', true, now() - (d || ' days')::interval from generate_series(85, 95) d where d <> 90;
            insert into system_logs (level, message, created_at)
            select 'information', 'log', now() - (m || ' months')::interval - interval '1 day' from generate_series(4, 8) m;
            """);

        var attempts = await ActivatorUtilities.CreateInstance<LoginAttemptsPurge>(_services).RunOnceAsync(CancellationToken.None);
        var logs = await ActivatorUtilities.CreateInstance<SystemLogsPurge>(_services).RunOnceAsync(CancellationToken.None);

        // 90 days and 6 months: 91..95 days go, 85..89 stay; 6, 7 and 8 months (and a day) go, 4 and 5 stay.
        Assert.Equal(5, attempts);
        Assert.Equal(5, await _database.ScalarAsync<long>("select count(*) from login_attempts"));
        Assert.Equal(0, await _database.ScalarAsync<long>("select count(*) from login_attempts where attempted_at < now() - interval '90 days'"));
        Assert.Equal(3, logs);
        Assert.Equal(2, await _database.ScalarAsync<long>("select count(*) from system_logs where message = 'log'"));
    }

    [Fact]
    public async Task Settled_webhooks_lose_their_payload_past_the_window_and_keep_their_row()
    {
        await _database.ExecuteAsync(
            """
            insert into payment_webhooks (provider, event_type, payload, status, received_at, external_event_id) values
                ('simulated', 'payment.captured', '{"payer": "Ana"}', 'processed', now() - interval '200 days', 'old-processed'),
                ('simulated', 'payment.captured', '{"payer": "Bia"}', 'received', now() - interval '200 days', 'old-pending'),
                ('simulated', 'payment.captured', '{"payer": "Caio"}', 'processed', now() - interval '10 days', 'recent');
            """);

        var emptied = await ActivatorUtilities.CreateInstance<WebhookPayloadsPurge>(_services).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, emptied);
        Assert.Equal("{}", await _database.ScalarAsync<string>("select payload::text from payment_webhooks where external_event_id = 'old-processed'"));
        Assert.Equal(2, await _database.ScalarAsync<long>("select count(*) from payment_webhooks where payload <> '{}'"));
        Assert.Equal(3, await _database.ScalarAsync<long>("select count(*) from payment_webhooks"));
    }

    private Task<long> WarningsAsync() => _database.ScalarAsync<long>(
        "select count(*) from system_logs where level = 'warning' and module = 'partitions'");
}
