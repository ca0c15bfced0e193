using MestresCafe.Data.Scheduling;
using MestresCafe.Scheduling;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Scheduling;

/// <summary>
/// Starts the owner of every task in scheduled_tasks when a silo starts (see
/// <see cref="BackgroundSiloStart"/>). A task added to the table later is picked up at the next
/// silo start, or at once by "resume".
/// </summary>
internal sealed class SchedulerStartup(IGrainFactory grains, ScheduledTaskStore store, ILogger<SchedulerStartup> logger) : BackgroundSiloStart(logger)
{
    protected override string What => "The scheduled tasks";

    protected override async Task StartAsync(CancellationToken stopping)
    {
        var tasks = await store.ListAsync(stopping);
        await Task.WhenAll(tasks.Select(t => grains.GetGrain<IScheduledTaskGrain>(t.Name).StartAsync()));
    }
}
