using System.ComponentModel.DataAnnotations;
using MestresCafe.Data.Marketing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Marketing;

/// <summary>The newsletter (<c>Marketing:*</c>).</summary>
public sealed class MarketingOptions
{
    public const string Section = "Marketing";

    /// <summary>How long a newsletter confirmation link works.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromDays(3);
}

public static class MarketingHostingExtensions
{
    public static IHostApplicationBuilder AddMestresMarketing(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MarketingOptions>().BindConfiguration(MarketingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MarketingLinks>();
        services.AddSingleton<MarketingMailDecorator>();
        services.AddSingleton<NewsletterStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMarketingApi(this Microsoft.AspNetCore.Routing.RouteGroupBuilder api)
    {
        api.MapNewsletterApi();
        return api;
    }
}
