using MestresCafe.Data.Marketing;
using MestresCafe.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Marketing;

public static class MarketingHostingExtensions
{
    /// <summary>The marketing automations: their stores, the engine under the cluster's scheduler, and the unsubscribe-link seam.</summary>
    public static IHostApplicationBuilder AddMestresMarketingAutomations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AutomationStore>();
        services.AddSingleton<AutomationExecutionStore>();
        services.AddSingleton<AutomationTriggerQuery>();
        // The newsletter's signed links replace this by registering their own first.
        services.TryAddSingleton<IMarketingUnsubscribeLinks, NoMarketingUnsubscribeLinks>();
        services.AddSingleton<AutomationEngine>();
        services.AddScheduledTask<AutomationEngine>(AutomationEngine.TaskName);
        return builder;
    }
}
