using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Scheduling;

public static class ScheduledTaskRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TTask"/> as the periodic work of the scheduled_tasks row named
    /// <paramref name="name"/> (its schedule lives in the row, its code here). Any feature registers
    /// its tasks this way; the scheduler (in the silo) finds them by name.
    /// </summary>
    public static IServiceCollection AddScheduledTask<TTask>(this IServiceCollection services, string name)
        where TTask : class, IScheduledTask
    {
        services.AddKeyedSingleton<IScheduledTask, TTask>(name);
        return services;
    }
}
