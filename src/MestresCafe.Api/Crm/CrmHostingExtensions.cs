using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Data.Crm;
using MestresCafe.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Crm;

public sealed class CrmOptions
{
    public const string Section = "Crm";

    /// <summary>How often each server re-evaluates the customers whose facts changed (the segment queue).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SegmentQueueEvery { get; set; } = TimeSpan.FromSeconds(2);
}

public static class CrmHostingExtensions
{
    /// <summary>Segments (their store, membership, the queue refresher and the scheduled recomputation) and leads.</summary>
    public static IHostApplicationBuilder AddMestresCrm(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CrmOptions>().BindConfiguration(CrmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SegmentMembership>();
        // The full recomputation runs under the cluster's scheduler (one server, by its cron row).
        services.AddScheduledTask<SegmentMembership>(SegmentMembership.TaskName);
        services.AddSingleton<SegmentQueueRefresher>();
        services.AddSingleton<SegmentStore>();
        services.AddSingleton<LeadStore>();
        services.AddHostedService<SegmentQueueRunner>();
        return builder;
    }
}

/// <summary>Drains the segment queue: <see cref="SegmentQueueRefresher.RunOnceAsync"/>.</summary>
internal sealed class SegmentQueueRunner(SegmentQueueRefresher refresher, IOptions<CrmOptions> options, ILogger<SegmentQueueRunner> logger)
    : PeriodicRunner(options.Value.SegmentQueueEvery, "segment changes", logger)
{
    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => refresher.RunOnceAsync(cancellationToken);
}
