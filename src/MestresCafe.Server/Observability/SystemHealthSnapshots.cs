using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MestresCafe.Server.Observability;

public sealed class SystemHealthOptions
{
    public const string Section = "SystemHealth";

    /// <summary>How often each server writes its snapshot.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Drives <see cref="SystemHealthRecorder.RunOnceAsync"/> on every server, every
/// <see cref="SystemHealthOptions.Interval"/>, starting right away: the way the code drives
/// periodic work until the scheduler of scheduled_tasks takes it.
/// </summary>
internal sealed partial class SystemHealthSnapshots(SystemHealthRecorder recorder, IOptions<SystemHealthOptions> options, ILogger<SystemHealthSnapshots> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        do
        {
            try
            {
                await recorder.RunOnceAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // PostgreSQL is away: nothing to write to; the next tick tries again.
                LogSnapshotFailed(logger, error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The health snapshot could not be written; trying again.")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception error);
}
