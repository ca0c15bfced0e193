using System.Text.Json;
using System.Text.Json.Nodes;
using MestresCafe.Api.Mail;
using MestresCafe.Marketing;

namespace MestresCafe.Api.Marketing;

/// <summary>
/// Composes a text campaign's message (<see cref="MarketingText"/>): each link of the body becomes
/// the recipient's short signed link (a test's keeps its target: nothing to track), the body is
/// rendered with the recipient's data in the notices' template language, and the opt-out line ends
/// it. The back office checks a body with sample data before it is saved; the sender composes each
/// recipient's from the message's data.
/// </summary>
public sealed class MarketingTextComposer(MailRenderer renderer, MarketingLinks links)
{
    /// <summary>The data a body is checked and previewed with; a recipient id as long as the ones the short links will carry for years.</summary>
    private const long SampleRecipient = 9_999_999_999;
    private const string SampleFirstName = "Maria";

    /// <summary>The text as one recipient gets it (cut to <see cref="MarketingText.MaxLength"/> if their data made it longer than checked).</summary>
    public string Compose(string body, JsonElement data, long? recipientId) =>
        MarketingText.Fit(renderer.RenderPlain(Linked(body, recipientId), data));

    /// <summary>
    /// The campaign's text with sample data (a first name, the campaign) as a customer would get it,
    /// or why it cannot be sent: not valid in the template language, or longer than allowed.
    /// </summary>
    public (string Text, string? Refusal) Preview(string body, long campaignId, string campaignName)
    {
        var data = new JsonObject { ["first_name"] = SampleFirstName, ["campaign"] = new JsonObject { ["id"] = campaignId, ["name"] = campaignName } };
        string composed;
        try
        {
            composed = MarketingText.Compose(renderer.RenderPlain(Linked(body, SampleRecipient), JsonSerializer.SerializeToElement(data)));
        }
        catch (MailTemplateException error)
        {
            return ("", error.Message);
        }

        return (composed, MarketingText.CheckLength(composed));
    }

    /// <summary>The campaign text of a queued message, when it is one (its data carries <see cref="MarketingText.DataField"/>).</summary>
    public string? ComposeQueued(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(MarketingText.DataField, out var text)
            || !text.TryGetProperty(MarketingText.BodyField, out var body) || body.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        long? recipient = text.TryGetProperty(MarketingText.RecipientField, out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : null;
        return Compose(body.GetString()!, data, recipient);
    }

    private string Linked(string body, long? recipientId) =>
        recipientId is { } recipient ? MarketingText.ReplaceLinks(body, (index, _) => links.TextClickUrl(recipient, index)) : body;
}
