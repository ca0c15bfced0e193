using MestresCafe.Data.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Mail;

public static class MailHostingExtensions
{
    /// <summary>Templates, the renderer and the background sender (which runs only with Mail:Smtp:Host set).</summary>
    public static IHostApplicationBuilder AddMestresMail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MailOutboxStore>();
        builder.Services.AddSingleton<MestresCafe.Data.Notifications.MyNotificationsStore>();
        builder.Services.AddSingleton<MestresCafe.Data.Notifications.NotificationPreferencesStore>();
        builder.Services.AddSingleton<MailTemplateStore>();
        builder.Services.AddSingleton<SentMailQuery>();
        builder.Services.AddSingleton<MailRenderer>();
        builder.Services.AddSingleton<MailComposer>();
        builder.Services.AddSingleton<SmtpMailTransport>();
        builder.Services.AddSingleton<MailSender>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<MailSender>());
        return builder;
    }
}
