using MestresCafe.Data.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Settings;

public static class SettingsHosting
{
    /// <summary>
    /// The live settings of system_configurations as configuration, loaded before the silo starts:
    /// call it after the data source and the migrations are registered and before the silo.
    /// </summary>
    public static IHostApplicationBuilder AddMestresSettings(this IHostApplicationBuilder builder)
    {
        var source = new SettingsConfigurationSource();
        // After the settings files, before environment variables and the command line: the table
        // overrides appsettings, a deployment's explicit override still wins (and the back office
        // shows it as overridden).
        var sources = builder.Configuration.Sources;
        var lastFile = sources.ToList().FindLastIndex(s => s is FileConfigurationSource);
        sources.Insert(lastFile + 1, source);

        builder.Services.AddSingleton(source);
        builder.Services.AddSingleton<SettingsStore>();
        builder.Services.AddOptions<SettingsOptions>().BindConfiguration(SettingsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LiveSettings>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveSettings>());
        return builder;
    }
}
