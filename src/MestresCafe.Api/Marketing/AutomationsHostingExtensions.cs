using MestresCafe.Data.Marketing;
using MestresCafe.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Marketing;

public static class AutomationsHostingExtensions
{
    /// <summary>The marketing automations: their stores, and the engine under the cluster's scheduler (their e-mails get their unsubscribe link and headers as every marketing e-mail does, from MarketingMailDecorator).</summary>
    public static IHostApplicationBuilder AddMestresMarketingAutomations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AutomationStore>();
        services.AddSingleton<AutomationExecutionStore>();
        services.AddSingleton<AutomationTriggerQuery>();
        services.AddSingleton<AutomationEngine>();
        services.AddScheduledTask<AutomationEngine>(AutomationEngine.TaskName);
        return builder;
    }
}
