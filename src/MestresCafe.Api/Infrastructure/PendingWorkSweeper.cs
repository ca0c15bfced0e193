using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Api.Infrastructure;

/// <summary>
/// Finishes, on every server, work recorded before it was done whose server died or timed out half-way
/// (purchase order receipts, stock transfers): every <paramref name="every"/> it resumes what has
/// been pending for longer than that. Each step of such work is idempotent and finishing it is
/// conditional, so two servers resuming the same piece do it once; no single owner is needed.
/// </summary>
internal abstract class PendingWorkSweeper(TimeSpan every, string what, ILogger logger) : BackgroundService
{
    /// <summary>Finishes the pieces pending for longer than <paramref name="olderThan"/>; returns how many.</summary>
    protected abstract Task<int> ResumeAsync(TimeSpan olderThan, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await ResumeAsync(every, stoppingToken) is > 0 and var resumed)
                {
                    logger.LogWarning("Finished {Count} {What} left pending", resumed, what);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The database or a silo is away: the next tick tries again.
                logger.LogWarning(error, "Pending {What} could not be finished", what);
            }
        }
    }
}
