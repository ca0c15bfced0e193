using MestresCafe.Data.Observability;

namespace MestresCafe.Server.Observability;

public static class SystemRecordsHostingExtensions
{
    /// <summary>
    /// What the back office's system pages read: warnings and errors copied into system_logs (a
    /// logger provider feeding a bounded queue, drained in batches) and this server's periodic
    /// system_health snapshot.
    /// </summary>
    public static WebApplicationBuilder AddMestresSystemRecords(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SystemLogOptions>().BindConfiguration(SystemLogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SystemHealthOptions>().BindConfiguration(SystemHealthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var capacity = builder.Configuration.GetSection(SystemLogOptions.Section).Get<SystemLogOptions>()?.QueueCapacity ?? new SystemLogOptions().QueueCapacity;
        builder.Services.AddSingleton(new SystemLogQueue(capacity));
        builder.Logging.Services.AddSingleton<ILoggerProvider, SystemLogProvider>();
        builder.Services.AddSingleton<SystemLogStore>();
        builder.Services.AddHostedService<SystemLogWriter>();

        builder.Services.AddSingleton<SystemHealthStore>();
        builder.Services.AddSingleton<SystemHealthRecorder>();
        builder.Services.AddHostedService<SystemHealthSnapshots>();
        return builder;
    }
}
