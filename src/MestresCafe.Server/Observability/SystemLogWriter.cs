using MestresCafe.Data.Observability;

namespace MestresCafe.Server.Observability;

/// <summary>
/// Drains <see cref="SystemLogQueue"/> into system_logs: waits for an entry, then takes whatever
/// else is queued (up to the batch size) into one insert. A failed insert drops its batch and
/// counts it (these rows are a convenience beside stdout, which has every line), then the writer
/// pauses: a failed write's own log lines must not drive a tight loop against a database that is away.
/// </summary>
public sealed partial class SystemLogWriter(SystemLogQueue queue, SystemLogStore store, Microsoft.Extensions.Options.IOptions<SystemLogOptions> options, ILogger<SystemLogWriter> logger)
    : BackgroundService
{
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(2);
    private readonly int _batchSize = options.Value.BatchSize;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<SystemLogEntry>(_batchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (!await WriteAvailableAsync(batch, stoppingToken))
                {
                    await Task.Delay(PauseAfterFailure, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is already queued still goes, without the cancelled token.
            await WriteAvailableAsync(batch, CancellationToken.None);
        }
    }

    /// <summary>Writes everything queued now, batch by batch; false at the first batch that failed (and was dropped).</summary>
    private async Task<bool> WriteAvailableAsync(List<SystemLogEntry> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < _batchSize && queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            if (batch.Count == 0)
            {
                return true;
            }

            try
            {
                await store.WriteAsync(batch, cancellationToken);
                SystemLogQueue.CountWritten(batch.Count);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                queue.CountDropped(batch.Count);
                LogWriteFailed(logger, error, batch.Count);
                return false;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} entries could not be written to system_logs and were dropped.")]
    private static partial void LogWriteFailed(ILogger logger, Exception error, int count);
}
