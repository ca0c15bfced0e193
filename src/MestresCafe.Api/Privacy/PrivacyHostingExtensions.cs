using MestresCafe.Data.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Privacy;

public static class PrivacyHostingExtensions
{
    /// <summary>LGPD rights: erasure (and, beside it, export and consents).</summary>
    public static IHostApplicationBuilder AddMestresPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PersonalDataErasureStore>();
        builder.Services.AddSingleton<ErasureService>();
        builder.Services.AddSingleton<CachedProductPages>();
        return builder;
    }
}
