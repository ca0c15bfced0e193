using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Api.Content;

/// <summary>
/// Runs one piece of periodic content work (<c>RunOnceAsync</c>: scheduled posts, view counts) on
/// every server, every <paramref name="every"/>; a failed run is logged and the next tick tries
/// again. With <paramref name="runOnStop"/> it runs once more when the server stops (views counted
/// in memory). Meant to move under the cluster's task scheduler once there is one.
/// </summary>
internal sealed class PeriodicRunner(string what, TimeSpan every, Func<CancellationToken, Task<int>> runOnce, bool runOnStop, ILogger logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        if (runOnStop)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await RunAsync(grace.Token);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await runOnce(cancellationToken) is > 0 and var count)
            {
                logger.LogDebug("{What}: {Count}", what, count);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The database is away: the next tick tries again.
            logger.LogWarning(error, "{What} failed", what);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping mid-run.
        }
    }
}
