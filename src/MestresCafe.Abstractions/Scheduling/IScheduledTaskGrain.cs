using Orleans.Concurrency;

namespace MestresCafe.Scheduling;

/// <summary>
/// The one owner of a scheduled task in the cluster (key: the task's name). It runs the task when
/// its scheduled_tasks row says it is due, one run at a time, and keeps a reminder so that it comes
/// back on another server when its own stops.
/// </summary>
public interface IScheduledTaskGrain : IGrainWithStringKey
{
    /// <summary>Registers the reminder if needed and activates the owner; every silo calls it at start.</summary>
    Task StartAsync();

    /// <summary>Looks at the row now instead of at the next check (after "run now" or "resume").</summary>
    [OneWay]
    Task WakeAsync();
}
