using MestresCafe.Data.Marketing;
using MestresCafe.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Marketing;

public static class AutomationsHostingExtensions
{
    /// <summary>The marketing automations: their stores, the engine under the cluster's scheduler, and their unsubscribe links.</summary>
    public static IHostApplicationBuilder AddMestresMarketingAutomations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AutomationStore>();
        services.AddSingleton<AutomationExecutionStore>();
        services.AddSingleton<AutomationTriggerQuery>();
        // The newsletter's signed one-click links (MarketingLinks), when the newsletter is registered.
        services.TryAddSingleton<IMarketingUnsubscribeLinks>(provider =>
            provider.GetService<MarketingLinks>() is { } links ? new SignedMarketingUnsubscribeLinks(links) : new NoMarketingUnsubscribeLinks());
        services.AddSingleton<AutomationEngine>();
        services.AddScheduledTask<AutomationEngine>(AutomationEngine.TaskName);
        return builder;
    }
}
