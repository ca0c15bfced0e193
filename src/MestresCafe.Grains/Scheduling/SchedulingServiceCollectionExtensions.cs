using MestresCafe.Data.Scheduling;
using MestresCafe.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Grains.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>The scheduler, its store and the maintenance tasks every store runs.</summary>
    public static IServiceCollection AddMestresScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection(SchedulerOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.RunLease > o.RunTimeout, "Scheduler:RunLease must be longer than Scheduler:RunTimeout, or a slow run could be started twice.")
            .ValidateOnStart();
        services.AddOptions<MaintenanceOptions>().Bind(configuration.GetSection(MaintenanceOptions.Section));
        services.AddSingleton<ScheduledTaskStore>();
        services.AddScheduledTask<PartitionMaintenance>(PartitionMaintenance.TaskName);
        services.AddScheduledTask<LoginAttemptsPurge>(LoginAttemptsPurge.TaskName);
        services.AddScheduledTask<ExpiredSessionsPurge>(ExpiredSessionsPurge.TaskName);
        services.AddScheduledTask<PasswordResetsPurge>(PasswordResetsPurge.TaskName);
        services.AddScheduledTask<SystemLogsPurge>(SystemLogsPurge.TaskName);
        services.AddScheduledTask<WebhookPayloadsPurge>(WebhookPayloadsPurge.TaskName);
        return services;
    }
}
