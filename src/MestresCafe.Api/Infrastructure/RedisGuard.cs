using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace MestresCafe.Api.Infrastructure;

/// <summary>
/// The one way a request reaches Redis: a short timeout per call and one circuit breaker for the
/// whole connection. Redis is a cache and a limiter, never a record, so a request that cannot get
/// an answer quickly goes on without it (PostgreSQL, memory, an open limit).
/// </summary>
/// <remarks>
/// The client's own timeout is not enough: it is checked on a once-a-second heartbeat, so a hung
/// Redis (a paused process or a network partition keeps the socket open) costs every request one
/// to two seconds, and more on a busy machine, until the client gives the connection up. Here a
/// call waits at most <see cref="RedisOptions.OperationTimeout"/>; once half of the calls of the
/// last two seconds failed, no request waits on Redis for <see cref="RedisOptions.BreakDuration"/>,
/// after which one call probes it.
/// </remarks>
public sealed class RedisGuard
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<RedisGuard> _logger;

    public RedisGuard(IConnectionMultiplexer redis, IOptions<RedisOptions> options, ILogger<RedisGuard> logger)
    {
        _redis = redis;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // Half of at least ten calls in two seconds: a hung Redis gets there within about a
                // second under traffic, a busy machine's odd late answer does not.
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(2),
                BreakDuration = options.Value.BreakDuration,
                // The caller giving up (request aborted) says nothing about Redis.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null and not OperationCanceledException),
                OnOpened = args =>
                {
                    _logger.LogWarning(args.Outcome.Exception, "Redis calls are failing or slow: going around Redis for {BreakDuration}", args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _logger.LogInformation("Redis answers again: using it");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.Value.OperationTimeout)
            .Build();
    }

    /// <summary>
    /// Runs one Redis call; <paramref name="fallback"/> when Redis is unreachable, slow, failing or
    /// left alone by the breaker. Never throws, except for the caller's own cancellation.
    /// </summary>
    public async Task<T> TryAsync<T>(Func<IDatabase, Task<T>> call, T fallback, string purpose, CancellationToken cancellationToken = default)
    {
        if (!_redis.IsConnected)
        {
            return fallback;
        }

        try
        {
            return await RunAsync(_ => call(_redis.GetDatabase()), cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return fallback;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Redis call failed ({Purpose}); going on without Redis", purpose);
            return fallback;
        }
    }

    /// <summary>
    /// For a library that handles Redis failures itself (the catalog cache): the call under the same
    /// timeout and breaker, failing fast with an exception instead of waiting.
    /// </summary>
    public Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        _redis.IsConnected
            ? RunAsync(call, cancellationToken)
            : Task.FromException<T>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected."));

    public Task ExecuteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        ExecuteAsync(async token =>
        {
            await call(token);
            return true;
        }, cancellationToken);

    // The Redis client takes no cancellation token: the timeout stops the wait, and the abandoned
    // call ends on the client's own timeout.
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(async token => await call(token).WaitAsync(token), cancellationToken);
}
