using System.Collections.Concurrent;
using System.Globalization;
using MestresCafe.Api.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MestresCafe.Api.Security;

/// <summary>
/// What this server read a moment ago and may answer again from memory: sessions in front of
/// <see cref="SessionCache"/> (no Redis call) and users' profiles in front of PostgreSQL
/// (<see cref="Accounts.ProfileCache"/>). Entries are dropped on every server by a Redis message.
/// </summary>
/// <remarks>
/// A change stays visible at once on every server: whoever changes what an entry holds publishes
/// its key on a Redis channel once the change is stored (<see cref="PublishAsync"/>), every server
/// drops the key from memory when the message arrives and acknowledges it, and the writer waits for
/// the acknowledgements before it answers. A server trusts its memory only while it hears that
/// channel: each one publishes a numbered heartbeat on it every quarter of
/// <see cref="SessionOptions.LocalCacheTrustWindow"/>, and Redis delivers a subscriber's messages in
/// order, so a heartbeat received means every invalidation published before it was received too.
/// No heartbeat for that long (Redis down, hung or the subscription lost) and the memory is not
/// used: requests go to Redis or PostgreSQL as before. A missed heartbeat (a gap in the numbers) or
/// a reconnection empties the memory, since an invalidation may have been lost with it; a writer
/// that could not publish waits out the trust window before it answers, so that every server has
/// stopped trusting its memory by then.
/// An entry added by a request whose read started before an invalidation arrived is dropped
/// again (<see cref="Epoch"/>), so a read racing a change cannot put the old state back.
/// </remarks>
public sealed class LocalCache : BackgroundService
{
    /// <summary>A key that, published, empties every server's memory (a change too wide to list its keys).</summary>
    public const string Everything = "*";

    private const char HeartbeatTag = 'h';
    private const char InvalidationTag = 'i';
    private const char AckTag = 'a';

    private readonly MemoryCache _entries;
    private readonly TimeSpan _lifetime;
    private readonly long _trustWindowMs;
    private readonly TimeSpan _heartbeatInterval;
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisGuard _guard;
    private readonly RedisChannel _channel;
    private readonly string _serverId = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, Acknowledgements> _awaitingAcks = new();
    private readonly ILogger<LocalCache> _logger;
    private readonly Lock _heartbeatLock = new();
    private long _epoch;
    private const long NeverHeard = long.MinValue / 2; // far in the past, and no overflow when subtracted
    private long _heardAt = NeverHeard; // Environment.TickCount64 when the last heartbeat received was sent
    private long _heardSequence = -1;
    private long _sentSequence;

    public LocalCache(
        IConnectionMultiplexer redis, RedisGuard guard, IOptions<RedisOptions> redisOptions, IOptions<SessionOptions> options, ILogger<LocalCache> logger)
    {
        _redis = redis;
        _guard = guard;
        _logger = logger;
        _lifetime = options.Value.LocalCacheLifetime;
        _trustWindowMs = (long)options.Value.LocalCacheTrustWindow.TotalMilliseconds;
        _heartbeatInterval = options.Value.LocalCacheTrustWindow / 4;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.LocalCacheSize });
        _channel = RedisChannel.Literal(redisOptions.Value.Key("session-invalidations"));
        // Messages may have been lost with the connection: stop trusting the memory until heartbeats come back.
        _redis.ConnectionFailed += (_, _) => Forget(untrust: true);
        _redis.ConnectionRestored += (_, _) => Forget(untrust: true);
    }

    /// <summary>Changes with every invalidation: read it before a read from Redis or PostgreSQL and hand it to <see cref="TryAdd"/>.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    private bool Enabled => _lifetime > TimeSpan.Zero;

    private bool Trusted => Enabled && Environment.TickCount64 - Interlocked.Read(ref _heardAt) <= _trustWindowMs;

    /// <summary>The entry under <paramref name="key"/>, if this server read it recently and still hears invalidations.</summary>
    public T? TryGet<T>(string key) where T : class =>
        Trusted && _entries.TryGetValue(key, out var value) && value is T entry ? entry : null;

    /// <summary>
    /// Keeps what Redis or PostgreSQL just answered, until <paramref name="validUntil"/> at most, unless
    /// an invalidation arrived since <paramref name="epoch"/>.
    /// </summary>
    public void TryAdd(string key, object value, DateTimeOffset validUntil, long epoch)
    {
        var ttl = validUntil - DateTimeOffset.UtcNow;
        if (!Trusted || ttl <= TimeSpan.Zero)
        {
            return;
        }

        _entries.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = ttl < _lifetime ? ttl : _lifetime });
        if (Epoch != epoch)
        {
            _entries.Remove(key); // an invalidation may have come in between: trust the next read instead
        }
    }

    /// <summary>Drops the keys here at once (<see cref="Everything"/>: all of them); <see cref="PublishAsync"/> tells the other servers.</summary>
    public void Remove(IEnumerable<string> keys)
    {
        Interlocked.Increment(ref _epoch);
        foreach (var key in keys)
        {
            if (key == Everything)
            {
                Forget(untrust: false);
                return;
            }

            _entries.Remove(key);
        }
    }

    /// <summary>
    /// Drops the keys here, then tells every server to drop them and waits until each has done so or
    /// can no longer be trusting its memory (<see cref="SessionOptions.LocalCacheTrustWindow"/>): a
    /// server that has not handled the message has not heard any heartbeat sent after it either.
    /// Call it once the change is stored and before answering. False when the message could not be
    /// published; this still returns only once the window has passed, when no server that lost
    /// Redis like this one trusts its memory any more.
    /// </summary>
    public async Task<bool> PublishAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        Remove(keys);
        if (!Enabled)
        {
            return true;
        }

        var id = Guid.NewGuid().ToString("N");
        var acks = new Acknowledgements();
        _awaitingAcks[id] = acks;
        try
        {
            var message = $"{InvalidationTag} {id}\n" + string.Join('\n', keys);
            var receivers = await _guard.TryAsync(db => db.PublishAsync(_channel, message), -1L, "memory invalidation message", cancellationToken);
            if (receivers < 0)
            {
                await OutlastTrustAsync(cancellationToken);
                return false;
            }

            await acks.WaitAsync(receivers, TimeSpan.FromMilliseconds(_trustWindowMs), cancellationToken);
            return true;
        }
        finally
        {
            _awaitingAcks.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Waits until no server can be trusting a memory that missed a message this server could not
    /// publish (Redis down or hung for it, and so, in all likelihood, for them).
    /// </summary>
    public Task OutlastTrustAsync(CancellationToken cancellationToken = default) =>
        Enabled ? Task.Delay(TimeSpan.FromMilliseconds(_trustWindowMs), cancellationToken) : Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        try
        {
            await SubscribeAsync(stoppingToken);
            using var timer = new PeriodicTimer(_heartbeatInterval);
            do
            {
                // Numbered per attempt: a heartbeat that could not be sent leaves a gap, which empties the memory.
                var beat = $"{HeartbeatTag} {_serverId} {Interlocked.Increment(ref _sentSequence)} {Environment.TickCount64}";
                await _guard.TryAsync(db => db.PublishAsync(_channel, beat), 0L, "session heartbeat", stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _entries.Dispose();
        base.Dispose();
    }

    private async Task SubscribeAsync(CancellationToken stoppingToken)
    {
        var subscriber = _redis.GetSubscriber();
        while (true)
        {
            try
            {
                // One channel and one queue handled in order: heartbeats, invalidations and their
                // acknowledgements are seen in the order Redis published them.
                var queue = await subscriber.SubscribeAsync(_channel);
                queue.OnMessage(message => Handle((string)message.Message!));
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _logger.LogWarning(ex, "Could not subscribe to session invalidations; sessions are not kept in memory until it works");
                await Task.Delay(_heartbeatInterval * 4, stoppingToken);
            }
        }
    }

    private void Handle(string message)
    {
        var tag = message[0];
        if (tag == InvalidationTag)
        {
            var lines = message.Split('\n');
            Remove(lines.Skip(1));
            var id = lines[0][2..];
            _ = _guard.TryAsync(db => db.PublishAsync(_channel, $"{AckTag} {id}"), 0L, "session invalidation acknowledgement");
        }
        else if (tag == AckTag)
        {
            if (_awaitingAcks.TryGetValue(message[2..], out var acks))
            {
                acks.Add();
            }
        }
        else if (tag == HeartbeatTag)
        {
            var parts = message.Split(' ');
            if (parts[1] == _serverId)
            {
                Heard(long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
            }
        }
    }

    private void Heard(long sequence, long sentAt)
    {
        lock (_heartbeatLock)
        {
            if (sequence != _heardSequence + 1 || !Trusted)
            {
                Forget(untrust: false); // a heartbeat went missing, so an invalidation may have too
            }

            _heardSequence = sequence;
            Interlocked.Exchange(ref _heardAt, sentAt);
        }
    }

    /// <summary>Counts the servers that dropped the keys of one invalidation.</summary>
    private sealed class Acknowledgements
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _received;
        private long _expected = long.MaxValue;

        public void Add() => Check(Interlocked.Increment(ref _received));

        public async Task WaitAsync(long expected, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _expected, expected);
            Check(Interlocked.Read(ref _received));
            try
            {
                await _all.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // A server that did not answer by now no longer trusts its memory.
            }
        }

        private void Check(long received)
        {
            if (received >= Interlocked.Read(ref _expected))
            {
                _all.TrySetResult();
            }
        }
    }

    private void Forget(bool untrust)
    {
        if (untrust)
        {
            Interlocked.Exchange(ref _heardAt, NeverHeard);
        }

        Interlocked.Increment(ref _epoch);
        _entries.Clear();
    }
}
