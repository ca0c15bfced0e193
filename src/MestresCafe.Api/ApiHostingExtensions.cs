using MestresCafe.Api.Accounts;
using MestresCafe.Api.Catalog;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Infrastructure.Input;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Cart;
using MestresCafe.Api.Checkout;
using MestresCafe.Api.Coupons;
using MestresCafe.Api.Inventory;
using MestresCafe.Api.Mail;
using MestresCafe.Api.OpenApi;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using MestresCafe.Api.Orders;
using MestresCafe.Api.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api;

public static class ApiHostingExtensions
{
    /// <summary>Problem details for every error, the OpenAPI document, JSON conventions and Redis.</summary>
    public static IHostApplicationBuilder AddMestresApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = context =>
            {
                // The W3C trace id: the one in this request's log lines, system_logs rows and traces.
                context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
                ValidationErrorKeys.UseJsonNames(context);
            });
        // Request types declare their rules (data annotations, IValidatableObject); a generated
        // endpoint filter answers 400 with a validation problem before the handler runs.
        builder.Services.AddValidation();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddDefaultRequestSizeLimit();
        builder.Services.AddMestresOpenApi();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
            // Numbers are JSON numbers: the web defaults also read "12" as 12, which the OpenAPI
            // document then has to type as integer-or-string, and generated clients as a union.
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            // Enums travel as their snake_case names, the spelling of the relational CHECK constraints.
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(SnakeCaseNames.Policy, allowIntegerValues: false));
            StorableJsonConverters.AddTo(json.SerializerOptions);
        });

        builder.AddMestresRedis();
        builder.AddMestresSecurity();
        builder.AddMestresAccounts();
        builder.AddMestresRateLimiting();
        builder.AddMestresQueries();
        builder.AddMestresCatalog();
        builder.AddMestresCart();
        Purchasing.PurchasingHostingExtensions.AddMestresPurchasing(builder);
        Inventory.InventoryLocationsHosting.AddMestresInventoryLocations(builder);
        Customers.CustomersHostingExtensions.AddMestresCustomers(builder);
        builder.AddMestresMail();
        TextMessages.TextMessagesHostingExtensions.AddMestresTextMessages(builder);
        Content.ContentHostingExtensions.AddMestresContent(builder);
        Media.MediaApi.AddMestresMedia(builder);
        Privacy.PrivacyHostingExtensions.AddMestresPrivacy(builder);
        Crm.CrmHostingExtensions.AddMestresCrm(builder);
        Marketing.MarketingHostingExtensions.AddMestresMarketing(builder);
        Marketing.AutomationsHostingExtensions.AddMestresMarketingAutomations(builder);
        return builder;
    }

    public static WebApplication UseMestresApi(this WebApplication app)
    {
        app.UseMestresClientAddress();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Rate limits after authentication (per-user partitions), before authorization.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        // Anonymous catalog responses; after authorization so a cached response never skips a check.
        app.UseOutputCache();
        return app;
    }

    public static WebApplication MapMestresApi(this WebApplication app)
    {
        app.MapOpenApi();
        // Once for every endpoint: values PostgreSQL cannot store are a 400, and bodies are small.
        var api = app.MapGroup("/api").WithStorableInput().WithRequestSizeLimit(RequestSizeLimit.DefaultMaxBytes);
        api.MapInventoryApi();
        api.MapAccountsApi();
        api.MapMeApi();
        Notifications.MyNotificationsApi.MapMyNotificationsApi(api);
        Notifications.NotificationPreferencesApi.MapNotificationPreferencesApi(api);
        TextMessages.TextChannelPreferenceApi.MapTextChannelPreferenceApi(api);
        TextMessages.TextReceiptWebhookApi.MapTextReceiptWebhookApi(api);
        TextMessages.TextReplyWebhookApi.MapTextReplyWebhookApi(api);
        api.MapUserAdminApi();
        api.MapCartApi();
        api.MapCheckoutApi();
        api.MapMyOrdersApi();
        api.MapOrdersAdminApi();
        api.MapPaymentWebhookApi();
        api.MapPaymentMethodsAdminApi();
        api.MapPaymentOptionsApi();
        api.MapMyPaymentMethodsApi();
        api.MapSimulatedGatewayApi();
        api.MapCouponAdminApi();
        api.MapCatalogEndpoints();
        Reports.ReportsApi.MapReportsApi(api);
        Loyalty.LoyaltyApi.MapLoyaltyApi(api);
        Loyalty.LoyaltyAdminApi.MapLoyaltyAdminApi(api);
        Loyalty.LoyaltyDefinitionsAdminApi.MapLoyaltyDefinitionsAdminApi(api);
        Content.ContentHostingExtensions.MapContentEndpoints(app, api);
        Media.MediaApi.MapMediaApi(api, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Media.MediaOptions>>().Value.MaxBytes);
        Projections.DeadLetterAdminApi.MapDeadLetterAdminApi(api);
        Observability.SystemAdminApi.MapSystemAdminApi(api);
        Purchasing.PurchasingAdminApi.MapPurchasingAdminApi(api);
        Purchasing.PurchaseOrdersApi.MapPurchaseOrdersApi(api);
        Inventory.LocationsAndTransfersApi.MapLocationsAndTransfersApi(api);
        api.MapMailTemplatesAdminApi();
        api.MapSentMailAdminApi();
        Settings.SettingsAdminApi.MapSettingsAdminApi(api);
        Scheduling.ScheduledTasksAdminApi.MapScheduledTasksAdminApi(api);
        Customers.CustomersHostingExtensions.MapCustomersApi(api);
        Privacy.PrivacyApi.MapPrivacyApi(api);
        Crm.SegmentsApi.MapSegmentsApi(api);
        Crm.LeadsApi.MapLeadsApi(api);
        Crm.WholesaleInquiryApi.MapWholesaleInquiryApi(api);
        Marketing.MarketingHostingExtensions.MapMarketingApi(api);
        Marketing.AutomationsAdminApi.MapAutomationsAdminApi(api);
        return app;
    }
}
