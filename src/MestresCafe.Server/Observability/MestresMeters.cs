using MestresCafe.Api.Catalog.Caching;
using MestresCafe.Api.Checkout;
using MestresCafe.Api.Mail;
using MestresCafe.Grains.Inventory;
using MestresCafe.Grains.Projections;

namespace MestresCafe.Server.Observability;

/// <summary>Every meter and activity source the server exports, named once.</summary>
public static class MestresMeters
{
    /// <summary>The product's own meters.</summary>
    public static readonly string[] Product =
    [
        CheckoutMetrics.MeterName,
        InventoryMetrics.MeterName,
        ProjectionMetrics.MeterName,
        CacheMetrics.MeterName,
        MailMetrics.MeterName,
        OperationsGauges.MeterName,
        SystemLogQueue.MeterName,
    ];

    /// <summary>Orleans' own meter (grain calls, activations, messaging, storage).</summary>
    public const string Orleans = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources: runtime messaging and application grain calls.</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];
}
