using System.ComponentModel.DataAnnotations;
using MestresCafe.Data.Inventory;
using MestresCafe.Data.Purchasing;
using MestresCafe.Api.Infrastructure;
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

/// <summary>Finishes receipts whose server stopped between recording them and confirming their stock.</summary>
internal sealed class PendingReceiptSweeper(PurchaseReceiving receiving, IOptions<PurchasingOptions> options, ILogger<PendingReceiptSweeper> logger)
    : PendingWorkSweeper(options.Value.ResumeReceiptsEvery, "purchase order receipts", logger)
{
    protected override Task<int> ResumeAsync(TimeSpan olderThan, CancellationToken cancellationToken) =>
        receiving.ResumePendingAsync(olderThan, cancellationToken);
}
