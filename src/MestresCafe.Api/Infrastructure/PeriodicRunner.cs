using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Api.Infrastructure;

/// <summary>
/// Runs a piece of periodic work (a class's <c>RunOnceAsync</c>) every <paramref name="every"/>,
/// and at once when <paramref name="wake"/> is raised. Unlike <see cref="PendingWorkSweeper"/>,
/// whose runs are a recovery worth a warning, these runs are the normal way the work gets done.
/// Each server runs its own; the work itself claims rows so that two servers never do one twice.
/// Work that belongs to the cluster rather than to each server is a scheduled task instead
/// (<c>AddScheduledTask</c>). With <paramref name="runOnStop"/> it runs once more as the server
/// stops (work held in this server's memory, e.g. counted post views).
/// </summary>
internal abstract class PeriodicRunner(TimeSpan every, string what, ILogger logger, WakeSignal? wake = null, bool runOnStop = false) : BackgroundService
{
    protected abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (wake is null)
                {
                    await Task.Delay(every, stoppingToken);
                }
                else
                {
                    await wake.WaitAsync(every, stoppingToken);
                }

                await RunLoggedAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        if (runOnStop)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await RunLoggedAsync(grace.Token);
        }
    }

    private async Task RunLoggedAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await RunOnceAsync(cancellationToken) is > 0 and var done)
            {
                logger.LogDebug("{What}: {Count} rows", what, done);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping mid-run: the work stays where it is.
        }
        catch (Exception error)
        {
            // PostgreSQL away: the work stays where it is and the next run takes it.
            logger.LogWarning(error, "{What} not done", what);
        }
    }
}

/// <summary>Wakes a <see cref="PeriodicRunner"/> at once (work was just asked for on this server).</summary>
public class WakeSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Raise()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: the run about to start takes this request too.
        }
    }

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
