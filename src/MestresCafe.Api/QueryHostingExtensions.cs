using MestresCafe.Api.Admin;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Coupons;
using MestresCafe.Data.Inventory;
using MestresCafe.Data.Loyalty;
using MestresCafe.Data.Orders;
using MestresCafe.Data.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api;

public static class QueryHostingExtensions
{
    /// <summary>The query and store classes the endpoints read and write the relational model through (the catalog registers its own).</summary>
    public static IHostApplicationBuilder AddMestresQueries(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AuditedWriter>();
        services.AddSingleton<AuditJournal>();
        services.AddSingleton<CouponReadModel>();
        services.AddSingleton<InventoryQueries>();
        services.AddSingleton<LoyaltyQueries>();
        services.AddSingleton<LoyaltyDefinitionStore>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<PaymentWebhookStore>();
        // Checkout (in the grains) and the payment options read the methods through the cache.
        services.AddSingleton<PaymentMethodStore>();
        services.AddSingleton<Payments.CachedPaymentMethods>();
        services.AddSingleton<IPaymentMethodSource>(sp => sp.GetRequiredService<Payments.CachedPaymentMethods>());
        services.AddOptions<SavedCardOptions>().BindConfiguration(SavedCardOptions.Section);
        services.AddSingleton<CardVault>();
        services.AddSingleton<CustomerPaymentMethodStore>();
        return builder;
    }
}
