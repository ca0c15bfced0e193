using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MestresCafe.Marketing;
using MimeKit;

namespace MestresCafe.Api.Marketing;

/// <summary>The marketing marker of a queued message (<see cref="MarketingMessageData"/>), with its signed subscriber token.</summary>
public sealed record MarketingMarking(string SubscriberToken, long? RecipientId);

/// <summary>
/// What makes a queued message a marketing e-mail as it is composed: the unsubscribe and
/// preferences links in its data (the layout shows them), the List-Unsubscribe and
/// List-Unsubscribe-Post headers for one-click unsubscribe (RFC 8058: a POST to the link, no page),
/// and, for a campaign's recipient, click-tracking redirects on its links and an open pixel. Only
/// the copy that goes out is tracked; the copy kept in outbound_messages is not, so viewing it in
/// the back office counts no open.
/// </summary>
public sealed partial class MarketingMailDecorator(MarketingLinks links)
{
    public const string UnsubscribeUrlField = "unsubscribe_url";
    public const string PreferencesUrlField = "preferences_url";

    /// <summary>The message's marking; null for a message that is not marketing.</summary>
    public MarketingMarking? Read(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(MarketingMessageData.Field, out var marker)
            || marker.ValueKind != JsonValueKind.Object
            || !marker.TryGetProperty(MarketingMessageData.Unsubscribe, out var subject) || subject.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        long? recipient = marker.TryGetProperty(MarketingMessageData.Recipient, out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : null;
        return new MarketingMarking(links.SubscriberToken(subject.GetString()!, recipient), recipient);
    }

    /// <summary>The data with the unsubscribe and preferences links added.</summary>
    public JsonElement WithLinks(JsonElement data, MarketingMarking marking)
    {
        var node = JsonNode.Parse(data.GetRawText())!.AsObject();
        node[UnsubscribeUrlField] = links.UnsubscribePageUrl(marking.SubscriberToken);
        node[PreferencesUrlField] = links.PreferencesPageUrl(marking.SubscriberToken);
        return JsonSerializer.SerializeToElement(node);
    }

    /// <summary>
    /// The HTML that goes out: every http(s) link but the unsubscribe and preferences ones through a
    /// signed click redirect, and the open pixel at the end of the body; unchanged without a recipient.
    /// </summary>
    public string Track(string html, MarketingMarking marking)
    {
        if (marking.RecipientId is not { } recipient)
        {
            return html;
        }

        var own = links.BaseUrl + "/newsletter/";
        var tracked = Href().Replace(html, match =>
        {
            var target = WebUtility.HtmlDecode(match.Groups["url"].Value);
            return target.StartsWith(own, StringComparison.Ordinal)
                ? match.Value
                : $"href=\"{WebUtility.HtmlEncode(links.ClickUrl(recipient, target))}\"";
        });
        var pixel = $"<img src=\"{WebUtility.HtmlEncode(links.OpenUrl(recipient))}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">";
        var end = tracked.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end < 0 ? tracked + pixel : tracked.Insert(end, pixel);
    }

    /// <summary>The one-click unsubscribe headers (RFC 2369 and RFC 8058).</summary>
    public void AddHeaders(MimeMessage mime, MarketingMarking marking)
    {
        mime.Headers.Add("List-Unsubscribe", $"<{links.OneClickUrl(marking.SubscriberToken)}>");
        mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }

    [GeneratedRegex("href=\"(?<url>https?://[^\"]+)\"", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Href();
}
