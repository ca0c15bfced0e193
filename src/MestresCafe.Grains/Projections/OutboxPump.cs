using System.Text.Json;
using System.Text.Json.Serialization;
using MestresCafe.Data.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Projections;

/// <summary>
/// Applies a grain's outbox to the relational tables after its state write committed: soon (a
/// zero-delay grain timer, so the acknowledged call does not wait for it), in one batch for all
/// the events that piled up meanwhile, and again with back-off until it succeeds. The grain removes
/// applied events from its in-memory outbox; the removal is persisted by its next write, and a
/// fresh activation re-applies whatever is still there, which the idempotent projection ignores.
/// <para>
/// An event the database refuses for good (<see cref="ProjectionFailure.IsPermanent"/>) must not
/// hold back the grain's later events: once a batch is refused, events are applied one at a time
/// to find the refused one, which is tried <see cref="ProjectionOptions.DeadLetterAfterAttempts"/>
/// times, then recorded in projection_dead_letters and dropped from the outbox. Outages are never
/// counted: with PostgreSQL down every event waits, however long it takes.
/// </para>
/// </summary>
public sealed class OutboxPump<TEvent> where TEvent : IOutboxEvent
{
    // Short enough that the read side catches up within seconds of an outage ending (a PostgreSQL
    // restart measured 25 s of projection lag with 30 s here); a failed attempt costs one query.
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerOptions.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
    private readonly Grain _grain;
    private readonly Outbox<TEvent> _outbox;
    private readonly ILogger _logger;
    // Taken from the grain's services so that wiring a pump stays one line in every grain.
    private readonly DeadLetterStore _deadLetters;
    private readonly TimeProvider _clock;
    private readonly int _maxAttempts;
    private IGrainTimer? _timer;
    private TimeSpan _backoff = FirstBackoff;
    // A reentrant grain may ask for a run while one is in flight: it runs again right after.
    private bool _running;
    private bool _runAgain;
    // Set when the grain's state in memory went ahead of what is stored: nothing more is projected from it.
    private bool _halted;
    // Set when a batch was refused for good: events go one by one until the refused one is found.
    private bool _oneAtATime;
    private RefusedEvent? _refused;
    // For the instruments: the outbox size last reported to ProjectionMetrics, and since when the
    // outbox has had events (a TimeProvider timestamp; 0 when it was empty).
    private int _reportedPending;
    private long _pendingSince;

    public OutboxPump(Grain grain, Outbox<TEvent> outbox, ILogger logger)
    {
        _grain = grain;
        _outbox = outbox;
        _logger = logger;
        _deadLetters = grain.GrainContext.ActivationServices.GetRequiredService<DeadLetterStore>();
        _clock = grain.GrainContext.ActivationServices.GetRequiredService<TimeProvider>();
        _maxAttempts = grain.GrainContext.ActivationServices.GetRequiredService<IOptions<ProjectionOptions>>().Value.DeadLetterAfterAttempts;
        // A grain deactivated with events still waiting takes them out of this server's count; the
        // next activation counts them again when it resumes.
        _ = grain.GrainContext.Deactivated.ContinueWith(
            static (_, pump) => ((OutboxPump<TEvent>)pump!).ReportPending(0), this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Schedules a run unless one is already scheduled.</summary>
    public void Schedule()
    {
        if (_halted)
        {
            return;
        }

        if (_pendingSince == 0)
        {
            _pendingSince = _clock.GetTimestamp();
        }

        if (_running)
        {
            _runAgain = true;
            return;
        }

        ScheduleIn(TimeSpan.Zero);
    }

    /// <summary>
    /// Stops projecting for good: a state write failed, so the outbox in memory may hold events that
    /// were never stored. The grain is deactivating; its next activation projects what was stored.
    /// </summary>
    public void Halt()
    {
        _halted = true;
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>
    /// One last run as the activation goes, for a grain whose outbox yields only what is durable (the
    /// inventory item): a write that committed just before a later one failed is projected now,
    /// not at the next activation, which an item nobody touches may not have for a long time. Best
    /// effort: a failure leaves the events to the next activation, as before.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_halted || _running)
        {
            return;
        }

        _timer?.Dispose();
        _timer = null;
        var pending = _outbox.Pending();
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            await ApplyOrDeadLetterAsync(pending.ToList(), cancellationToken);
            ReportPending(_outbox.Pending().Count);
        }
        catch (Exception error)
        {
            _logger.LogWarning(error, "Projection of {Grain} failed as it deactivated; its next activation applies it", _grain.GrainContext.GrainId);
        }
    }

    private void ScheduleIn(TimeSpan due)
    {
        if (_halted || _timer is not null)
        {
            return;
        }

        _timer = _grain.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // Disposing a timer cancels its callback's token: this one-shot timer is let go only after
        // the callback finished.
        using var current = _timer;
        _timer = null;
        if (_halted)
        {
            return;
        }

        _running = true;
        _runAgain = false;
        var pending = _outbox.Pending();
        ReportPending(pending.Count);
        if (pending.Count == 0)
        {
            _running = false;
            _pendingSince = 0;
            return;
        }

        var batch = _oneAtATime ? [pending[0]] : pending.ToList();
        try
        {
            await ApplyOrDeadLetterAsync(batch, cancellationToken);
            _backoff = FirstBackoff;
        }
        catch (Exception error)
        {
            _logger.LogWarning(error, "Projection of {Grain} failed; retrying in {Backoff}", _grain.GrainContext.GrainId, _backoff);
            _running = false;
            ScheduleIn(_backoff);
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
            return;
        }

        _running = false;
        var left = _outbox.Pending().Count;
        ReportPending(left);
        if (left == 0 && _pendingSince != 0)
        {
            ProjectionMetrics.Lag.Record(_clock.GetElapsedTime(_pendingSince).TotalSeconds);
            _pendingSince = 0;
        }

        if (left > 0 || _runAgain)
        {
            Schedule();
        }
    }

    private void ReportPending(int count)
    {
        ProjectionMetrics.OutboxChanged(_reportedPending, count);
        _reportedPending = count;
    }

    private async Task ApplyOrDeadLetterAsync(List<TEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _outbox.ApplyAsync(batch, cancellationToken);
        }
        catch (Exception error) when (ProjectionFailure.IsPermanent(error))
        {
            if (batch.Count > 1)
            {
                // Which event is refused is not known yet: the next runs apply one at a time.
                _oneAtATime = true;
                throw;
            }

            var now = _clock.GetUtcNow();
            var id = batch[0].EventId;
            _refused = _refused?.EventId == id ? _refused with { Attempts = _refused.Attempts + 1 } : new RefusedEvent(id, 1, now);
            if (_refused.Attempts < _maxAttempts)
            {
                throw;
            }

            await DeadLetterAsync(batch[0], _refused, now, error, cancellationToken);
            _outbox.Remove(batch);
            _refused = null;
            _oneAtATime = false;
            return;
        }

        _outbox.Remove(batch);
        // Back to whole batches once the refused event is through (the schema or the data was fixed
        // meanwhile) or nothing is left to search.
        if ((_refused is not null && batch.Any(e => e.EventId == _refused.EventId)) || _outbox.Pending().Count == 0)
        {
            _refused = null;
            _oneAtATime = false;
        }
    }

    private async Task DeadLetterAsync(TEvent refused, RefusedEvent tries, DateTimeOffset now, Exception error, CancellationToken cancellationToken)
    {
        var grainType = _grain.GetType().Name;
        var grainKey = _grain.GrainContext.GrainId.Key.ToString()!;
        var eventType = refused.GetType().Name;
        await _deadLetters.RecordAsync(
            new DeadLetter(grainType, grainKey, tries.EventId, eventType, PayloadOf(refused), error.Message,
                ProjectionFailure.SqlStateOf(error), tries.Attempts, tries.FirstFailedAt, now),
            cancellationToken);
        ProjectionMetrics.DeadLetters.Add(1, new("grain_type", grainType), new("event_type", eventType));
        _logger.LogError(error, "Event {EventId} ({EventType}) of {Grain} refused {Attempts} times: moved to projection_dead_letters",
            tries.EventId, eventType, _grain.GrainContext.GrainId, tries.Attempts);
    }

    /// <summary>The event as JSON for operators; null when the event itself cannot be serialized (that may be why it was refused).</summary>
    private static string? PayloadOf(TEvent refused)
    {
        try
        {
            return JsonSerializer.Serialize(refused, refused.GetType(), PayloadJson);
        }
        catch (Exception error) when (error is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private sealed record RefusedEvent(Guid EventId, int Attempts, DateTimeOffset FirstFailedAt);
}
