using MestresCafe.Api.Infrastructure;
using MestresCafe.Data.Privacy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Privacy;

/// <summary>
/// Builds the requested personal data exports and expires the ones not downloaded in time. One
/// run does what is due; <see cref="DataExportRunner"/> drives it (woken by a request, and on a
/// timer for requests another server took while this one was busy, or that a crash left pending).
/// </summary>
public sealed class DataExportWorker(PersonalDataExportStore store, PersonalDataExportQuery query, TimeProvider clock)
{
    private const int BatchSize = 20;

    /// <summary>Exports built plus exports expired.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken) =>
        await store.BuildPendingAsync(BuildAsync, BatchSize, cancellationToken) + await store.ExpireAsync(cancellationToken);

    private async Task<(byte[] Document, byte[] Archive)?> BuildAsync(long userId, CancellationToken cancellationToken)
    {
        if (await query.CollectAsync(userId, cancellationToken) is not { } sections)
        {
            return null;
        }

        var document = PersonalDataArchive.Document(userId, clock.GetUtcNow(), sections);
        return (document, PersonalDataArchive.Zip(document, sections));
    }
}

/// <summary>Wakes the local <see cref="DataExportRunner"/> when a customer asks for an export.</summary>
public sealed class DataExportSignal : WakeSignal;

internal sealed class DataExportRunner(DataExportWorker worker, DataExportSignal signal, IOptions<PrivacyOptions> options, ILogger<DataExportRunner> logger)
    : PeriodicRunner(options.Value.ExportSweepEvery, "personal data exports", logger, signal)
{
    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => worker.RunOnceAsync(cancellationToken);
}
