using System.ComponentModel.DataAnnotations;
using MestresCafe.Data.Inventory;
using MestresCafe.Data.Purchasing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Purchasing;

public sealed class PurchasingOptions
{
    public const string Section = "Purchasing";

    /// <summary>
    /// How often each server looks for receipts recorded but not confirmed in stock (their server
    /// died or the call timed out) and finishes those older than this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResumeReceiptsEvery { get; set; } = TimeSpan.FromMinutes(1);
}

public static class PurchasingHostingExtensions
{
    /// <summary>Suppliers, purchase orders, receiving and reorder suggestions: their stores and the pending-receipt sweeper.</summary>
    public static IHostApplicationBuilder AddMestresPurchasing(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PurchasingOptions>().BindConfiguration(PurchasingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PurchasingQueries>();
        services.AddSingleton<SupplierStore>();
        services.AddSingleton<PurchaseOrderStore>();
        services.AddSingleton<PurchaseReceiving>();
        services.AddSingleton<ReorderSuggestionQuery>();
        services.AddSingleton<StockAdjustmentQuery>();
        services.AddHostedService<PendingReceiptSweeper>();
        return builder;
    }
}

/// <summary>
/// Finishes receipts whose server stopped between recording them and confirming their stock.
/// Every server runs it: applying a receipt twice is harmless (the restocks are idempotent and
/// marking it applied is conditional), so no single owner is needed.
/// </summary>
internal sealed class PendingReceiptSweeper(PurchaseReceiving receiving, IOptions<PurchasingOptions> options, ILogger<PendingReceiptSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.ResumeReceiptsEvery;
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await receiving.ResumePendingAsync(every, stoppingToken) is > 0 and var resumed)
                {
                    logger.LogWarning("Finished {Count} purchase order receipts left pending", resumed);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The database or a silo is away: the next tick tries again.
                logger.LogWarning(error, "Pending purchase order receipts could not be finished");
            }
        }
    }
}
