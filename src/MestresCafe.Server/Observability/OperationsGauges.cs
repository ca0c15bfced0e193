using System.Diagnostics.Metrics;
using MestresCafe.Data.Observability;
using Microsoft.Extensions.Options;

namespace MestresCafe.Server.Observability;

/// <summary>
/// Gauges of what only PostgreSQL knows (unresolved dead letters, the mail queue, rows in default
/// partitions), read every <see cref="TelemetryOptions.GaugeInterval"/> in one query by this
/// background loop; a scrape reads the last figures and never touches the database.
/// </summary>
public sealed partial class OperationsGauges : BackgroundService
{
    public const string MeterName = "MestresCafe.Operations";

    private readonly OperationsQuery _query;
    private readonly TimeSpan _interval;
    private readonly ILogger<OperationsGauges> _logger;
    private OperationsFigures? _last;

    public OperationsGauges(OperationsQuery query, IMeterFactory meters, IOptions<TelemetryOptions> options, ILogger<OperationsGauges> logger)
    {
        _query = query;
        _interval = options.Value.GaugeInterval;
        _logger = logger;
        var meter = meters.Create(MeterName);
        // No figure yet (or the database away since the start): the gauges report nothing rather than zero.
        meter.CreateObservableGauge("mestrescafe.projection.dead_letters.unresolved", () => Read(f => f.DeadLetters),
            unit: "{event}", description: "Unresolved rows of projection_dead_letters.");
        meter.CreateObservableGauge("mestrescafe.mail.queued", () => Read(f => f.MailQueued),
            unit: "{message}", description: "Messages waiting in outbound_messages (pending or being sent).");
        meter.CreateObservableGauge("mestrescafe.mail.oldest_due", () => Read(f => f.MailOldestDueSeconds),
            unit: "s", description: "Age of the oldest message due and not yet sent.");
        meter.CreateObservableGauge("mestrescafe.partitions.default_rows", () => Read(f => f.DefaultPartitionRows),
            unit: "{row}", description: "Rows in default partitions: a monthly partition was missing when they were written.");
    }

    /// <summary>The figures of the last successful read; null before the first.</summary>
    public OperationsFigures? Last => Volatile.Read(ref _last);

    /// <summary>Reads the figures now; the health snapshots call it on their own schedule too.</summary>
    public async Task<OperationsFigures> RefreshAsync(CancellationToken cancellationToken)
    {
        var figures = await _query.ReadAsync(cancellationToken);
        Volatile.Write(ref _last, figures);
        return figures;
    }

    private IEnumerable<Measurement<T>> Read<T>(Func<OperationsFigures, T> figure) where T : struct =>
        Last is { } last ? [new Measurement<T>(figure(last))] : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The database is away: the gauges keep the last figures; the health checks say why.
                LogReadFailed(_logger, error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The operational gauges could not be read; trying again.")]
    private static partial void LogReadFailed(ILogger logger, Exception error);
}
