using MestresCafe.Api.Infrastructure;
using MestresCafe.Data.Settings;
using Npgsql;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MestresCafe.Api.Settings;

/// <summary>
/// Keeps this server's copy of system_configurations (<see cref="SettingsConfigurationProvider"/>)
/// current: loaded before the silo starts, reloaded when any server publishes a change on the
/// Redis channel <c>settings-changed</c>, and every <see cref="SettingsOptions.PollEvery"/> when the
/// table's version moved without a message (Redis down, a change made with SQL).
/// </summary>
public sealed class LiveSettings(
    SettingsConfigurationSource source,
    SettingsStore store,
    IConnectionMultiplexer redis,
    RedisGuard guard,
    IOptions<RedisOptions> redisOptions,
    IOptions<SettingsOptions> options,
    ILogger<LiveSettings> logger) : BackgroundService
{
    private readonly RedisChannel _channel = RedisChannel.Literal(redisOptions.Value.Key("settings-changed"));
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private string? _version;

    /// <summary>The table's values this server applies, by key (live settings that passed their rules only).</summary>
    public IReadOnlyDictionary<string, string?> InForce => source.Provider.Values;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the silo and the API start: the first request already sees the table's values.
        try
        {
            await ReloadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not read the live settings at start; running on the configured defaults until they can be read");
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>After a change is committed: applies it here, then tells every other server.</summary>
    public async Task PublishChangeAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        var receivers = await guard.TryAsync(db => db.PublishAsync(_channel, "changed"), -1L, "settings change message", cancellationToken);
        if (receivers < 0)
        {
            logger.LogWarning("Could not publish a settings change; other servers pick it up within {PollEvery}", options.Value.PollEvery);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A reconnection may have lost messages: read again.
        redis.ConnectionRestored += (_, _) => _ = ReloadQuietlyAsync(stoppingToken);
        var subscribed = false;
        using var timer = new PeriodicTimer(options.Value.PollEvery);
        try
        {
            do
            {
                subscribed = subscribed || await TrySubscribeAsync();
                if (await ChangedSinceLastLoadAsync(stoppingToken))
                {
                    await ReloadQuietlyAsync(stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            var queue = await redis.GetSubscriber().SubscribeAsync(_channel);
            queue.OnMessage(async _ => await ReloadQuietlyAsync(CancellationToken.None));
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not subscribe to settings changes; polling the table every {PollEvery} until it works", options.Value.PollEvery);
            return false;
        }
    }

    private async Task<bool> ChangedSinceLastLoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.VersionAsync(cancellationToken) != Volatile.Read(ref _version);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not check the live settings' version");
            return false;
        }
    }

    private async Task ReloadQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReloadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not reload the live settings; keeping the values in force");
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            // The version first: a change committed between the two reads is read again at the next poll.
            var version = await store.VersionAsync(cancellationToken);
            var rows = await store.ListAsync(cancellationToken);
            var values = SettingRules.ToConfiguration(
                rows.ToDictionary(r => r.Key, r => r.Value),
                (key, why) => logger.LogWarning("Setting {Key} is not applied: {Reason}; its default stays in force", key, why));
            source.Provider.Apply(values);
            Volatile.Write(ref _version, version);
        }
        finally
        {
            _reloading.Release();
        }
    }

    public override void Dispose()
    {
        _reloading.Dispose();
        base.Dispose();
    }
}

/// <summary>The <c>Settings</c> section.</summary>
public sealed class SettingsOptions
{
    public const string Section = "Settings";

    /// <summary>How often a server checks the table for a change no message told it about.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(30);
}
