using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Data.Inventory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Inventory;

public sealed class InventoryTransferOptions
{
    public const string Section = "Inventory:Transfers";

    /// <summary>How often each server finishes transfers left pending (older than this) by a server that died or timed out.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResumeEvery { get; set; } = TimeSpan.FromMinutes(1);
}

public static class InventoryLocationsHosting
{
    /// <summary>Stock locations and transfers between them: their stores, the transfer steps and the pending-transfer sweeper.</summary>
    public static IHostApplicationBuilder AddMestresInventoryLocations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<InventoryTransferOptions>().BindConfiguration(InventoryTransferOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LocationStore>();
        services.AddSingleton<InventoryTransferStore>();
        services.AddSingleton<InventoryTransfers>();
        services.AddHostedService<PendingTransferSweeper>();
        return builder;
    }
}

/// <summary>Finishes transfers whose server stopped half-way (see <see cref="InventoryTransfers"/>).</summary>
internal sealed class PendingTransferSweeper(InventoryTransfers transfers, IOptions<InventoryTransferOptions> options, ILogger<PendingTransferSweeper> logger)
    : PendingWorkSweeper(options.Value.ResumeEvery, "stock transfers", logger)
{
    protected override Task<int> ResumeAsync(TimeSpan olderThan, CancellationToken cancellationToken) =>
        transfers.ResumePendingAsync(olderThan, cancellationToken);
}
