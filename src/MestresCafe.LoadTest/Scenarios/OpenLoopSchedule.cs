namespace MestresCafe.LoadTest.Scenarios;

/// <summary>
/// The fixed schedule of an open-loop run: request <c>i</c> is due at <c>i / rate</c> seconds after
/// the start, whatever the server's answers so far. A worker that takes a request after its due time
/// (all workers were busy: the client fell behind) starts it at once and counts it late; its latency
/// is still measured from the due time, so a slow server cannot hide its queue. Requests due before
/// the end that no worker took are dropped.
/// </summary>
public sealed class OpenLoopSchedule(double ratePerSecond, TimeSpan duration, long maxRequests)
{
    /// <summary>A start this much after the due time counts as late (timer and thread-pool jitter stay below it).</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMilliseconds(10);

    private long _next = -1;
    private long _started;
    private long _late;

    public double RatePerSecond { get; } = ratePerSecond > 0 ? ratePerSecond : throw new ArgumentOutOfRangeException(nameof(ratePerSecond));

    /// <summary>Requests due within the duration (and the count bound).</summary>
    public long Due { get; } = Math.Min(maxRequests, (long)Math.Ceiling(duration.TotalSeconds * ratePerSecond));

    /// <summary>When request <paramref name="index"/> is due, from the start of the run.</summary>
    public TimeSpan DueAt(long index) => TimeSpan.FromTicks((long)Math.Round(index * TimeSpan.TicksPerSecond / RatePerSecond));

    /// <summary>Takes the next request, or false when all due requests are taken.</summary>
    public bool TryTake(out long index)
    {
        index = Interlocked.Increment(ref _next);
        return index < Due;
    }

    /// <summary>How long a worker holding <paramref name="index"/> waits at <paramref name="now"/> (from the start); zero when due or overdue.</summary>
    public TimeSpan WaitFor(long index, TimeSpan now) => DueAt(index) > now ? DueAt(index) - now : TimeSpan.Zero;

    /// <summary>Records that request <paramref name="index"/> started at <paramref name="now"/>.</summary>
    public void Started(long index, TimeSpan now)
    {
        Interlocked.Increment(ref _started);
        if (now - DueAt(index) > LateAfter)
        {
            Interlocked.Increment(ref _late);
        }
    }

    public OpenLoopSummary Summarize() =>
        new(RatePerSecond, Due, Interlocked.Read(ref _started), Interlocked.Read(ref _late), Math.Max(0, Due - Interlocked.Read(ref _started)));
}

/// <summary>An open-loop run's schedule as kept: due, started, started late (beyond <see cref="OpenLoopSchedule.LateAfter"/>), never started.</summary>
public sealed record OpenLoopSummary(double RatePerSecond, long Due, long Started, long Late, long Dropped)
{
    public string ToLine() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"open loop at {RatePerSecond:0.#}/s: {Due} due, {Started} started, {Late} started late (> {OpenLoopSchedule.LateAfter.TotalMilliseconds:0} ms), {Dropped} dropped; latency from the due time");
}
