using System.Diagnostics.Metrics;

namespace MestresCafe.Grains.Projections;

/// <summary>Instruments of the read side, under the meter <c>MestresCafe.Projections</c>.</summary>
public static class ProjectionMetrics
{
    public const string MeterName = "MestresCafe.Projections";
    private static readonly Meter Meter = new(MeterName);

    // Events waiting in this server's grain outboxes; kept by the pumps as they see their outbox.
    private static long _pendingEvents;

    /// <summary>Events moved to projection_dead_letters, tagged with the grain type and event type.</summary>
    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>(
        "mestrescafe.projection.dead_letters", unit: "{event}", description: "Outbox events the database refused for good, moved to projection_dead_letters.");

    /// <summary>
    /// From the moment a grain's outbox had something to apply to the moment it was empty again:
    /// how far the relational tables trailed the grain (the design's target: p99 under a second).
    /// </summary>
    public static readonly Histogram<double> Lag = Meter.CreateHistogram<double>(
        "mestrescafe.projection.lag", unit: "s", description: "Time from a grain's outbox getting events to the read side having applied them all.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    static ProjectionMetrics()
    {
        Meter.CreateObservableGauge("mestrescafe.outbox.pending", () => Interlocked.Read(ref _pendingEvents),
            unit: "{event}", description: "Events in this server's active grain outboxes not yet applied to the relational tables.");
    }

    /// <summary>Events waiting in this server's active grain outboxes now.</summary>
    public static long PendingEvents => Interlocked.Read(ref _pendingEvents);

    /// <summary>A pump's outbox went from <paramref name="before"/> to <paramref name="after"/> events.</summary>
    internal static void OutboxChanged(int before, int after)
    {
        if (before != after)
        {
            Interlocked.Add(ref _pendingEvents, after - before);
        }
    }
}
