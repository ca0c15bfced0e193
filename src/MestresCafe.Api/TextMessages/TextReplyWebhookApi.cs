using MestresCafe.Data.TextMessages;
using MestresCafe.Marketing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.TextMessages;

/// <summary>
/// The text provider's inbound messages (customers' replies), authenticated and recorded as the
/// delivery receipts are (<see cref="TextReceiptWebhookApi"/>: HMAC-SHA256 with
/// <c>TextMessages:WebhookSecret</c>, once per event id). A reply of an opt-out word
/// (<see cref="MarketingText.OptOutWords"/>) withdraws the phone's customers' text marketing consent.
/// </summary>
public static class TextReplyWebhookApi
{
    public const string Route = "/notifications/webhooks/text-replies";

    public static void MapTextReplyWebhookApi(this RouteGroupBuilder api)
    {
        api.MapTextWebhook(Route, ReceiveAsync, "TextMessageReplyWebhook",
            "Customers' replies to SMS/WhatsApp texts, signed with HMAC-SHA256: SAIR, PARAR, PARE, CANCELAR, DESCADASTRAR or STOP opts the phone out of marketing texts.");
    }

    private static Task<Results<Ok<TextReplyAck>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, TextReplyStore replies, ITextMessageProvider provider, IOptions<TextMessageOptions> options, TimeProvider clock) =>
        TextWebhookRequest.ReceiveAsync(request, options.Value, clock, "reply", Parse,
            "A reply has id (at most 200 characters), from (the phone, at most 20) and body (at most 1600).",
            async reply => new TextReplyAck(reply.EventId, await replies.RecordAsync(provider.Name, reply, MarketingText.IsOptOut(reply.Body), CancellationToken.None)));

    private static TextReply? Parse(string body)
    {
        var parsed = TextWebhookRequest.Deserialize<ProviderReply>(body);
        return parsed is { Id: { Length: > 0 and <= 200 } id, From: { Length: > 0 and <= 20 } from, Body: { Length: <= 1600 } text }
            ? new TextReply(id, from, text)
            : null;
    }

    private sealed record ProviderReply(string? Id, string? From, string? Body);
}

public sealed record TextReplyAck(string EventId, TextReplyOutcome Outcome);
