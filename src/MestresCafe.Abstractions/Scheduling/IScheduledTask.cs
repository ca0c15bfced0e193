namespace MestresCafe.Scheduling;

/// <summary>
/// Periodic work run by the scheduler: one run of it, returning the rows it affected. Registered
/// by name (<c>services.AddScheduledTask&lt;T&gt;("name")</c>), the name of its scheduled_tasks row,
/// whose cron expression says when it runs. A run may be cut short by the token and must be safe
/// to run again (a failed run is retried); batches keep each statement short.
/// </summary>
public interface IScheduledTask
{
    Task<int> RunOnceAsync(CancellationToken cancellationToken);
}
