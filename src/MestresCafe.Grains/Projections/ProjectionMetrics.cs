using System.Diagnostics.Metrics;

namespace MestresCafe.Grains.Projections;

/// <summary>Counters of the read side, under the meter <c>MestresCafe.Projections</c>.</summary>
public static class ProjectionMetrics
{
    public const string MeterName = "MestresCafe.Projections";
    private static readonly Meter Meter = new(MeterName);

    /// <summary>Events moved to projection_dead_letters, tagged with the grain type and event type.</summary>
    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>(
        "mestrescafe.projection.dead_letters", unit: "{event}", description: "Outbox events the database refused for good, moved to projection_dead_letters.");
}
