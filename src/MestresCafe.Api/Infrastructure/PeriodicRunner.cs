using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Api.Infrastructure;

/// <summary>
/// Runs a piece of periodic work (a class's <c>RunOnceAsync</c>) every <paramref name="every"/>,
/// and at once when <paramref name="wake"/> is raised. Unlike <see cref="PendingWorkSweeper"/>,
/// whose runs are a recovery worth a warning, these runs are the normal way the work gets done.
/// Each server runs its own; the work itself claims rows so that two servers never do one twice.
/// </summary>
internal abstract class PeriodicRunner(TimeSpan every, string what, ILogger logger, WakeSignal? wake = null) : BackgroundService
{
    protected abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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

            try
            {
                if (await RunOnceAsync(stoppingToken) is > 0 and var done)
                {
                    logger.LogDebug("{What}: {Count} rows", what, done);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // PostgreSQL away: the work stays where it is and the next run takes it.
                logger.LogWarning(error, "{What} not done", what);
            }
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
