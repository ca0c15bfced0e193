using MestresCafe.Api.Mail;
using MestresCafe.Api.Marketing;
using MestresCafe.Data.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.TextMessages;

/// <summary>
/// The texts' sender, the mail sender's twin on the same queue: it claims the sms and whatsapp rows
/// of outbound_messages under the same lease (<see cref="MailOutboxStore"/>), composes each from the
/// template's short notice (notification_templates), hands it to the provider and records the
/// outcome: sent with the provider's id, retried with the mail's backoff, or failed for good (the
/// dead letter the back office lists with the provider's reply, and can queue again). A campaign's
/// text carries its own body instead of a notice (<see cref="MarketingTextComposer"/>).
/// </summary>
public sealed partial class TextMessageSender(
    MailOutboxStore outbox, MailTemplateStore templates, MailRenderer renderer, MarketingTextComposer marketing, ITextMessageProvider provider,
    IOptions<TextMessageOptions> options, ILogger<TextMessageSender> logger) : OutboxSender(logger)
{
    /// <summary>At most about three SMS segments' worth of room for long texts; providers split longer ones, at a cost.</summary>
    public const int MaxBodyLength = MestresCafe.Marketing.MarketingText.MaxLength;

    private static readonly string[] Channels = ["sms", "whatsapp"];

    protected override OutboxSenderOptions Settings => options.Value;

    protected override string Channel => "text";

    protected override bool Runs() => options.Value.Enabled;

    /// <summary>Sends one batch of due texts; how many were claimed.</summary>
    public override async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var claimed = await outbox.ClaimAsync(Channels, settings.BatchSize, settings.Lease, cancellationToken);
        foreach (var message in claimed)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                await outbox.RetryLaterAsync(message, TimeSpan.Zero, "the server stopped before sending", null, CancellationToken.None);
                continue;
            }

            try
            {
                var campaignText = marketing.ComposeQueued(message.Data);
                var (title, body) = campaignText is null ? await ComposeAsync(message, cancellationToken) : (CampaignTitle(message), campaignText);
                var accepted = await provider.SendAsync(new TextMessage(message.MessageId, message.Channel, message.Recipient, body), cancellationToken);
                var sent = new SentMessage(title, null, body, accepted.Reply, campaignText is null ? "transactional" : "marketing")
                {
                    ProviderMessageId = accepted.ProviderMessageId,
                };
                if (!await outbox.MarkSentAsync(message, sent, CancellationToken.None))
                {
                    LogLeaseLost(logger, message.MessageId);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await FailAsync(message, error);
            }
        }

        return claimed.Count;
    }

    /// <summary>What the customer's history calls a campaign's text: the campaign's name.</summary>
    private static string CampaignTitle(ClaimedMessage message) =>
        message.Data.TryGetProperty("campaign", out var campaign) && campaign.TryGetProperty("name", out var name) && name.ValueKind == System.Text.Json.JsonValueKind.String
            ? name.GetString()!
            : "Campanha";

    /// <summary>The notice's title and the text sent: "title: content", cut to <see cref="MaxBodyLength"/>.</summary>
    private async Task<(string Title, string Body)> ComposeAsync(ClaimedMessage message, CancellationToken cancellationToken)
    {
        var set = await templates.LoadForSendingAsync(message.Template, cancellationToken);
        if (set.Notice is not { } notice)
        {
            throw new MailTemplateException($"No active notice template '{message.Template}' to send as a text.");
        }

        var title = renderer.RenderPlain(notice.Subject, message.Data);
        var body = $"Mestres Café: {title}. {renderer.RenderPlain(notice.Content, message.Data)}".Trim();
        return (title, body.Length > MaxBodyLength ? body[..(MaxBodyLength - 1)] + "…" : body);
    }

    private async Task FailAsync(ClaimedMessage message, Exception error)
    {
        var (permanent, reply) = error switch
        {
            TextProviderException provided => (provided.Permanent, provided.Reply),
            _ => (MailDeliveryPolicy.Classify(error) == MailFailure.Permanent, null),
        };
        var settings = options.Value;
        if (permanent || message.Attempts >= settings.MaxAttempts)
        {
            LogFailed(logger, message.MessageId, message.Template, reply ?? error.Message);
            await outbox.MarkFailedAsync(message, error.Message, reply, CancellationToken.None);
        }
        else
        {
            await outbox.RetryLaterAsync(message, settings.Backoff(message.Attempts), error.Message, reply, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Text {MessageId} was sent after its lease passed to another server.")]
    private static partial void LogLeaseLost(ILogger logger, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Text {MessageId} ({Template}) failed for good: {Reply}")]
    private static partial void LogFailed(ILogger logger, Guid messageId, string template, string reply);
}
