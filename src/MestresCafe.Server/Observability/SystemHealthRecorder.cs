using System.Text.Json;
using MestresCafe.Data.Observability;
using MestresCafe.Grains.Projections;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MestresCafe.Server.Health;
using Orleans.Runtime;

namespace MestresCafe.Server.Observability;

/// <summary>
/// Writes this server's <c>system_health</c> snapshot: one row per service (PostgreSQL, Redis,
/// SMTP, the silo from the health checks, and the read side's figures: outbox, dead letters,
/// default partitions, mail queue), tagged with the silo's address so that each server's view of
/// the cluster is kept apart.
/// </summary>
public sealed class SystemHealthRecorder(
    HealthCheckService checks, OperationsGauges operations, SystemHealthStore store, SystemLogQueue logQueue,
    ILocalSiloDetails silo, TimeProvider clock)
{
    public const string ReadSide = "read_side";

    /// <summary>Takes and writes one snapshot; returns the rows written.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var server = silo.SiloAddress.ToString();
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains(HealthHostingExtensions.SnapshotTag), cancellationToken);
        var rows = report.Entries.Select(e => new HealthSnapshot(
                server, e.Key, StatusName(e.Value.Status), JsonSerializer.Serialize(e.Value.Data),
                e.Value.Status == HealthStatus.Healthy ? null : e.Value.Description ?? e.Value.Exception?.Message,
                (int)Math.Round(e.Value.Duration.TotalMilliseconds), now))
            .ToList();
        rows.Add(await ReadSideAsync(server, now, cancellationToken));
        return await store.WriteAsync(rows, cancellationToken);
    }

    private async Task<HealthSnapshot> ReadSideAsync(string server, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var figures = await operations.RefreshAsync(cancellationToken);
        var metrics = new Dictionary<string, object>
        {
            ["outboxPending"] = ProjectionMetrics.PendingEvents,
            ["deadLettersUnresolved"] = figures.DeadLetters,
            ["defaultPartitionRows"] = figures.DefaultPartitionRows,
            ["mailQueued"] = figures.MailQueued,
            ["mailOldestDueSeconds"] = Math.Round(figures.MailOldestDueSeconds, 1),
            ["systemLogsDropped"] = logQueue.DroppedCount,
        };
        var problems = ReadSideProblems(figures);
        return new HealthSnapshot(server, ReadSide, problems.Count == 0 ? "healthy" : "degraded", JsonSerializer.Serialize(metrics),
            problems.Count == 0 ? null : string.Join("; ", problems), (int)Math.Round(clock.GetElapsedTime(started).TotalMilliseconds), now);
    }

    /// <summary>What an operator must look at, each said in a few words; nothing when all is well.</summary>
    public static List<string> ReadSideProblems(OperationsFigures figures)
    {
        var problems = new List<string>();
        if (figures.DeadLetters > 0)
        {
            problems.Add($"{figures.DeadLetters} unresolved dead letter(s)");
        }

        if (figures.DefaultPartitionRows > 0)
        {
            problems.Add($"{figures.DefaultPartitionRows} row(s) in default partitions");
        }

        if (figures.MailOldestDueSeconds > 600)
        {
            problems.Add($"mail due for {figures.MailOldestDueSeconds / 60:0} min not sent");
        }

        return problems;
    }

    private static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
