using MestresCafe.Data.TextMessages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.TextMessages;

/// <summary>
/// The text provider's delivery receipts: signed with <c>TextMessages:WebhookSecret</c> in the
/// payment webhook's scheme (HMAC-SHA256 over timestamp and body, five minutes' tolerance), recorded
/// once per event id (a redelivery answers "duplicate" and changes nothing), moving the message's
/// delivery status forward only. A receipt for a message this store never sent is acknowledged as
/// "unknown" so the provider stops retrying it.
/// </summary>
public static class TextReceiptWebhookApi
{
    public const string Route = "/notifications/webhooks/text-receipts";
    public static readonly IReadOnlyList<string> Statuses = ["delivered", "read", "undelivered"];

    public static void MapTextReceiptWebhookApi(this RouteGroupBuilder api)
    {
        api.MapTextWebhook(Route, ReceiveAsync, "TextMessageReceiptWebhook",
            "Delivery receipts of SMS/WhatsApp texts (delivered, read, undelivered), signed with HMAC-SHA256.");
    }

    private static Task<Results<Ok<TextReceiptAck>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, TextMessageReceiptStore receipts, ITextMessageProvider provider, IOptions<TextMessageOptions> options, TimeProvider clock) =>
        TextWebhookRequest.ReceiveAsync(request, options.Value, clock, "receipt", Parse,
            $"A receipt has id, messageId (at most 100 characters), occurredAt and status ({string.Join(", ", Statuses)}).",
            async receipt => new TextReceiptAck(receipt.EventId, await receipts.RecordAsync(provider.Name, receipt, CancellationToken.None)));

    private static TextReceipt? Parse(string body)
    {
        var parsed = TextWebhookRequest.Deserialize<ProviderReceipt>(body);
        return parsed is { Id: { Length: > 0 and <= 200 } id, MessageId: { Length: > 0 and <= 100 } messageId, Status: { } status, OccurredAt: { } occurredAt }
            && Statuses.Contains(status, StringComparer.Ordinal)
            ? new TextReceipt(id, messageId, status, occurredAt, parsed.Error)
            : null;
    }

    private sealed record ProviderReceipt(string? Id, string? MessageId, string? Status, DateTimeOffset? OccurredAt, string? Error);
}

public sealed record TextReceiptAck(string EventId, TextReceiptOutcome Outcome);
