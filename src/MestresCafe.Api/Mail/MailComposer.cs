using System.Text.Json;
using System.Text.Json.Nodes;
using MestresCafe.Api.Accounts;
using MestresCafe.Api.Marketing;
using MestresCafe.Data.Mail;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MestresCafe.Api.Mail;

/// <summary>A message ready for the relay, and what is kept of it once sent.</summary>
public sealed record ComposedMail(MimeMessage Mime, RenderedMail Recorded, InAppNotice? Notice)
{
    /// <summary>customer_communications.type of the message: marketing for a message that carries the marketing marker.</summary>
    public string CommunicationType { get; init; } = "transactional";
}

/// <summary>
/// Turns a queued message into MIME: its template and the layout rendered with its data, both
/// bodies (HTML and the text alternative), a Message-ID derived from the message id (the same on
/// every attempt, so a receiver can tell a repeat). An account link travels sealed in the queue
/// (<see cref="AccountLinks"/>) and is opened only here; the copy kept in outbound_messages and
/// customer_communications is rendered without it. A marketing message gets its unsubscribe links,
/// headers and tracking from <see cref="MarketingMailDecorator"/>.
/// </summary>
public sealed class MailComposer(
    MailTemplateStore templates, MailRenderer renderer, AccountLinks links, MarketingMailDecorator marketing, IOptions<MailOptions> options)
{
    public const string SealedLinkField = "sealed_link";
    public const string LinkField = "link";
    private const string LinkLeftOut = "(link enviado apenas por e-mail)";

    /// <summary>
    /// Composes <paramref name="message"/>; <paramref name="templatesRead"/> holds the template sets
    /// already read for its batch, so a campaign's batch reads its template once, not per message.
    /// </summary>
    public async Task<ComposedMail> ComposeAsync(ClaimedMessage message, IDictionary<string, MailTemplateSet> templatesRead, CancellationToken cancellationToken)
    {
        if (!templatesRead.TryGetValue(message.Template, out var set))
        {
            set = await templates.LoadForSendingAsync(message.Template, cancellationToken);
            templatesRead[message.Template] = set;
        }

        if (set.Template is null || set.Layout is null)
        {
            throw new MailTemplateException($"No active e-mail template '{(set.Template is null ? message.Template : MailTemplateStore.LayoutName)}'.");
        }

        var template = Text(set.Template);
        var layout = Text(set.Layout);
        var marking = marketing.Read(message.Data);
        var (data, recordData) = WithLink(marking is null ? message.Data : marketing.WithLinks(message.Data, marking));
        var rendered = renderer.Render(template, layout, data);
        var recorded = recordData is { } withoutLink ? renderer.Render(template, layout, withoutLink) : rendered;
        var notice = set.Notice is { } n
            ? new InAppNotice(n.Type, renderer.RenderPlain(n.Subject, recordData ?? data), renderer.RenderPlain(n.Content, recordData ?? data))
            : null;
        if (marking is null)
        {
            return new ComposedMail(Mime(message, rendered), recorded, notice);
        }

        var mime = Mime(message, rendered with { Html = marketing.Track(rendered.Html, marking) });
        marketing.AddHeaders(mime, marking);
        return new ComposedMail(mime, recorded, notice) { CommunicationType = "marketing" };
    }

    public static MailTemplateText Text(EmailTemplateRow row) => new(row.Subject, row.Content, row.TextContent);

    private MimeMessage Mime(ClaimedMessage message, RenderedMail rendered)
    {
        var mail = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(mail.FromName, mail.FromAddress));
        mime.To.Add(MailboxAddress.Parse(message.Recipient));
        mime.Subject = rendered.Subject;
        mime.MessageId = $"{message.MessageId:N}@{mail.FromAddress[(mail.FromAddress.IndexOf('@') + 1)..]}";
        mime.Body = new BodyBuilder { HtmlBody = rendered.Html, TextBody = rendered.Text }.ToMessageBody();
        return mime;
    }

    /// <summary>The data to send with (the sealed link opened into an absolute one) and, when there was a link, the data to keep (without it).</summary>
    private (JsonElement Send, JsonElement? Record) WithLink(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(SealedLinkField, out var sealedLink) || sealedLink.ValueKind != JsonValueKind.String)
        {
            return (data, null);
        }

        var send = JsonNode.Parse(data.GetRawText())!.AsObject();
        send.Remove(SealedLinkField);
        var record = send.DeepClone().AsObject();
        send[LinkField] = options.Value.PublicBaseUrl.TrimEnd('/') + links.Open(sealedLink.GetString()!);
        record[LinkField] = LinkLeftOut;
        return (JsonSerializer.SerializeToElement(send), JsonSerializer.SerializeToElement(record));
    }
}
