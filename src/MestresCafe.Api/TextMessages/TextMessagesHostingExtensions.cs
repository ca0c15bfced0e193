using MestresCafe.Data.Configuration;
using MestresCafe.Data.TextMessages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.TextMessages;

public static class TextMessagesHostingExtensions
{
    /// <summary>The text channel: preferences, the provider chosen by TextMessages:Provider, the sender (only when TextMessages:Enabled) and the receipt store.</summary>
    public static IHostApplicationBuilder AddMestresTextMessages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TextMessageOptions>().BindConfiguration(TextMessageOptions.Section).ValidateDataAnnotations()
            .RequireSecret($"{TextMessageOptions.Section}:{nameof(TextMessageOptions.WebhookSecret)}", o => o.WebhookSecret,
                (o, secret) => o.WebhookSecret = secret, neededWhen: o => o.Enabled)
            .ValidateOnStart();
        builder.Services.AddSingleton<TextMessagePreferencesStore>();
        builder.Services.AddSingleton<TextMessageReceiptStore>();
        builder.Services.AddSingleton<TextReplyStore>();
        builder.Services.AddSingleton<SimulatedTextMessageStore>();
        builder.Services.AddSingleton<SimulatedTextMessageProvider>();
        builder.Services.AddHttpClient(HttpTextMessageProvider.ProviderName);
        builder.Services.AddSingleton<HttpTextMessageProvider>();
        builder.Services.AddSingleton<ITextMessageProvider>(provider =>
            provider.GetRequiredService<IOptions<TextMessageOptions>>().Value.Provider == TextMessageProviderKind.Http
                ? provider.GetRequiredService<HttpTextMessageProvider>()
                : provider.GetRequiredService<SimulatedTextMessageProvider>());
        builder.Services.AddSingleton<TextMessageSender>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<TextMessageSender>());
        return builder;
    }
}
