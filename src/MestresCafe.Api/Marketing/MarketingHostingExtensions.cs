using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Data.Configuration;
using MestresCafe.Data.Marketing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Marketing;

/// <summary>The newsletter and campaigns (<c>Marketing:*</c>).</summary>
public sealed class MarketingOptions : IValidatableObject
{
    public const string Section = "Marketing";

    /// <summary>How long a newsletter confirmation link works.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Whether this server runs a campaign dispatcher (any server's dispatcher sends every campaign).</summary>
    public bool DispatchEnabled { get; set; } = true;

    /// <summary>How often an idle dispatcher looks for due campaigns ("send now" wakes it at once on the server that took it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:10:00")]
    public TimeSpan DispatchEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many recipients handed to the mail outbox per step (one transaction).</summary>
    [Range(1, 5000)]
    public int DispatchBatch { get; set; } = 500;

    /// <summary>Recipients per second a new campaign is sent at, when the back office sets none.</summary>
    [Range(1, 10_000)]
    public int DefaultSendRate { get; set; } = 50;

    [Range(1, 90)]
    public int DefaultConversionWindowDays { get; set; } = 7;

    /// <summary>
    /// The secret spam complaint reports are signed with (the payment webhook's scheme); unset, the
    /// complaint webhook is off. A secret: environment variables or the secrets folder, never appsettings.
    /// </summary>
    public string? ComplaintWebhookSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ComplaintWebhookSecret) && !SecretSetting.IsStrong(ComplaintWebhookSecret))
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(ComplaintWebhookSecret)} must be at least {SecretSetting.MinimumBytes} bytes (UTF-8) when set.", [nameof(ComplaintWebhookSecret)]);
        }
    }
}

/// <summary>Wakes this server's campaign dispatcher ("send now").</summary>
public sealed class CampaignDispatchSignal : WakeSignal;

public static class MarketingHostingExtensions
{
    public static IHostApplicationBuilder AddMestresMarketing(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MarketingOptions>().BindConfiguration(MarketingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MarketingLinks>();
        services.AddSingleton<MarketingMailDecorator>();
        services.AddSingleton<MarketingTextComposer>();
        services.AddSingleton<NewsletterStore>();
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CampaignDispatchStore>();
        services.AddSingleton<CampaignTrackingStore>();
        services.AddSingleton<CampaignReportQuery>();
        services.AddSingleton<MailComplaintStore>();
        services.AddSingleton<CampaignDispatchSignal>();
        services.AddHostedService<CampaignDispatchRunner>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMarketingApi(this Microsoft.AspNetCore.Routing.RouteGroupBuilder api)
    {
        api.MapNewsletterApi();
        api.MapCampaignTrackingApi();
        api.MapCampaignsAdminApi();
        api.MapMailComplaintWebhookApi();
        return api;
    }
}

/// <summary>
/// Each server's campaign dispatcher: steps through due campaigns (<see cref="CampaignDispatchStore"/>)
/// until none has anything to do at its rate now, every <see cref="MarketingOptions.DispatchEvery"/>.
/// </summary>
internal sealed class CampaignDispatchRunner(
    CampaignDispatchStore dispatch, CampaignDispatchSignal wake, IOptions<MarketingOptions> options, ILogger<CampaignDispatchRunner> logger)
    : PeriodicRunner(options.Value.DispatchEvery, "campaign sends", logger, wake)
{
    private const int MaxStepsPerRun = 100;

    protected override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.DispatchEnabled)
        {
            return 0;
        }

        var queued = 0;
        for (var step = 0; step < MaxStepsPerRun; step++)
        {
            var done = await dispatch.DispatchNextAsync(options.Value.DispatchBatch, cancellationToken);
            queued += done.Queued;
            if (done.CampaignId is null || (done.Queued == 0 && done.Frozen == 0 && !done.Completed))
            {
                break;
            }
        }

        return queued;
    }
}
