using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Grains.Scheduling;

/// <summary>The scheduler of scheduled_tasks (<c>Scheduler</c>).</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>How often each task's owner looks at its row (one indexed row read; a run starts at most this late).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a run may take before another owner treats it as lost (its server died) and runs the task again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan RunLease { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A run still going after this is cancelled and recorded as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Failed runs in a row that are retried; beyond them the task waits for its next occurrence.</summary>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = 5;
}
