using MestresCafe.Data.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Privacy;

public static class PrivacyHostingExtensions
{
    /// <summary>LGPD rights: erasure (and, beside it, export and consents).</summary>
    public static IHostApplicationBuilder AddMestresPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PersonalDataErasureStore>();
        builder.Services.AddSingleton<PersonalDataExportStore>();
        builder.Services.AddSingleton<PersonalDataExportQuery>();
        builder.Services.AddSingleton<MarketingConsentStore>();
        builder.Services.AddSingleton<DataExportWorker>();
        builder.Services.AddSingleton<DataExportSignal>();
        builder.Services.AddHostedService<DataExportRunner>();
        builder.Services.AddSingleton<ErasureService>();
        builder.Services.AddSingleton<CachedProductPages>();
        return builder;
    }
}
