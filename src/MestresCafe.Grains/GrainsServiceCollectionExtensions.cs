using MestresCafe.Data.Configuration;
using MestresCafe.Data.Coupons;
using MestresCafe.Data.Customers;
using MestresCafe.Data.Pricing;
using MestresCafe.Grains.Cart;
using MestresCafe.Grains.Inventory;
using MestresCafe.Grains.Loyalty;
using MestresCafe.Grains.Orders;
using MestresCafe.Grains.Payments;
using MestresCafe.Grains.Scheduling;
using MestresCafe.Orders;
using MestresCafe.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MestresCafe.Inventory;
using MestresCafe.Data.Projections;
using MestresCafe.Data.Cart;
using MestresCafe.Data.Inventory;
using MestresCafe.Data.Loyalty;
using MestresCafe.Data.Orders;
using MestresCafe.Grains.Projections;
using MestresCafe.Grains.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>What the grains need beside Orleans: their projections and options.</summary>
    public static IServiceCollection AddMestresGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GrainStorageOptions>().Bind(configuration.GetSection(GrainStorageOptions.Section));
        services.AddOptions<InventoryOptions>().Bind(configuration.GetSection(InventoryOptions.Section));
        services.AddOptions<ProjectionOptions>().Bind(configuration.GetSection(ProjectionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProjectionOptions>, ProjectionOptions.Validator>();
        services.AddSingleton<DeadLetterStore>();
        services.AddSingleton(sp =>
        {
            var projections = sp.GetRequiredService<IOptions<ProjectionOptions>>().Value;
            return new ProjectionTransactions(sp.GetRequiredService<NpgsqlDataSource>(), projections.ShareTransactions, projections.MaxPiecesPerTransaction);
        });
        services.AddKeyedSingleton(OrderProjectionStore.Line, (sp, _) =>
        {
            var projections = sp.GetRequiredService<IOptions<ProjectionOptions>>().Value;
            return projections.SeparateOrderLine
                ? new ProjectionTransactions(sp.GetRequiredService<NpgsqlDataSource>(), projections.ShareTransactions, projections.MaxPiecesPerTransaction)
                : sp.GetRequiredService<ProjectionTransactions>();
        });
        services.AddSingleton<InventoryProjection>();
        // The storefront's catalog cache replaces it where the API runs.
        services.TryAddSingleton<IStorefrontStockListener, NoStorefrontStockListener>();
        services.AddSingleton<CatalogPrices>();
        services.AddSingleton<RecentCatalogPrices>();
        services.AddOptions<PricingOptions>().Bind(configuration.GetSection(PricingOptions.Section));
        services.AddSingleton<CouponCustomerQuery>();
        services.AddSingleton<GroupDiscountQuery>();
        services.AddSingleton<CheckoutReads>();
        services.AddSingleton<RecentGroupDiscounts>();
        services.AddSingleton<CartProjection>();
        services.AddSingleton<OrderProjection>();
        services.AddSingleton<LoyaltyProjection>();
        services.AddSingleton<LoyaltyCatalogReader>();
        services.AddSingleton<MestresCafe.Grains.Customers.CreditAccountProjection>();
        services.TryAddSingleton<CreditAccountStore>();
        // Each projection maps its grain's state and events to rows; its store in Data writes them.
        services.AddSingleton<InventoryProjectionStore>();
        services.AddSingleton<CartProjectionStore>();
        services.AddSingleton(sp => new OrderProjectionStore(sp.GetRequiredKeyedService<ProjectionTransactions>(OrderProjectionStore.Line)));
        services.AddSingleton<LoyaltyProjectionStore>();
        services.AddSingleton<LoyaltyCatalogQuery>();
        services.AddOptions<LoyaltyOptions>().Bind(configuration.GetSection(LoyaltyOptions.Section));
        services.AddOptions<PaymentOptions>()
            .Bind(configuration.GetSection(PaymentOptions.Section))
            .RequireSecret($"{PaymentOptions.Section}:{nameof(PaymentOptions.WebhookSecret)}", o => o.WebhookSecret, (o, secret) => o.WebhookSecret = secret);
        services.AddOptions<StockHoldOptions>().Bind(configuration.GetSection(StockHoldOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StockHoldOptions>, StockHoldOptions.Validator>();
        services.AddOptions<OrderOptions>().Bind(configuration.GetSection(OrderOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ShippingPrices>().Bind(configuration.GetSection(ShippingPrices.Section));
        services.AddSingleton<DueOrderQuery>();
        services.AddOptions<OrderMailOptions>().Bind(configuration.GetSection(OrderMailOptions.Section));
        services.AddOptions<OrderSweepOptions>().Bind(configuration.GetSection(OrderSweepOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OrderSweepOptions>, OrderSweepOptions.Validator>();
        services.AddMestresScheduler(configuration);
        // The API's cached source replaces it where the API runs.
        services.TryAddSingleton<MestresCafe.Data.Payments.PaymentMethodStore>();
        services.TryAddSingleton<MestresCafe.Data.Payments.IPaymentMethodSource>(sp => sp.GetRequiredService<MestresCafe.Data.Payments.PaymentMethodStore>());
        services.AddHttpClient(nameof(SimulatedPaymentGateway));
        services.AddSingleton<IPaymentGateway, SimulatedPaymentGateway>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
