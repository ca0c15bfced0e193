using System.Text.Json;
using MestresCafe.Api.Payments;
using MestresCafe.Data.TextMessages;
using MestresCafe.Payments;
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
        api.MapPost(Route, ReceiveAsync)
            .AllowAnonymous()
            .WithTags("Notifications")
            .WithName("TextMessageReceiptWebhook")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Delivery receipts of SMS/WhatsApp texts (delivered, read, undelivered), signed with HMAC-SHA256.");
    }

    private static async Task<Results<Ok<TextReceiptAck>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, TextMessageReceiptStore receipts, ITextMessageProvider provider, IOptions<TextMessageOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Texts are not enabled on this server.");
        }

        var (body, refused) = await PaymentWebhookApi.ReadSignedAsync(request, settings.WebhookSecret!, clock, "receipt", "the provider");
        if (refused is not null)
        {
            return refused;
        }

        if (Parse(body) is not { } receipt)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed receipt",
                detail: $"A receipt has id, messageId (at most 100 characters), occurredAt and status ({string.Join(", ", Statuses)}).");
        }

        var outcome = await receipts.RecordAsync(provider.Name, receipt, CancellationToken.None);
        return TypedResults.Ok(new TextReceiptAck(receipt.EventId, outcome));
    }

    private static TextReceipt? Parse(string body)
    {
        ProviderReceipt? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<ProviderReceipt>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }

        return parsed is { Id: { Length: > 0 and <= 200 } id, MessageId: { Length: > 0 and <= 100 } messageId, Status: { } status, OccurredAt: { } occurredAt }
            && Statuses.Contains(status, StringComparer.Ordinal)
            ? new TextReceipt(id, messageId, status, occurredAt, parsed.Error)
            : null;
    }

    private sealed record ProviderReceipt(string? Id, string? MessageId, string? Status, DateTimeOffset? OccurredAt, string? Error);
}

public sealed record TextReceiptAck(string EventId, TextReceiptOutcome Outcome);
