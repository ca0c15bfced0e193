using System.Text;
using System.Text.Json;
using MestresCafe.Data.Payments;
using MestresCafe.Orders;
using MestresCafe.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Payments;

/// <summary>
/// The gateway's webhook. A body not signed with the shared secret is rejected (401). Each event is
/// applied to its order, then recorded in payment_webhooks under the gateway's event id: a
/// redelivery of a processed event is answered "duplicate" and changes nothing (the order grain
/// ignores what it already applied); a delivery that crashed half-way is applied again. An event the order refuses (another transaction, a capture of another
/// amount) is acknowledged, so the gateway stops retrying it, and recorded as failed with the reason,
/// for reconciliation.
/// </summary>
public static class PaymentWebhookApi
{
    private const string Provider = "simulated";
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A gateway event is a few hundred bytes. The signature covers the whole body, so the body is
    /// read before it can be checked: never more than this, so an unsigned sender cannot make the
    /// server buffer what it likes.
    /// </summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static void MapPaymentWebhookApi(this RouteGroupBuilder api)
    {
        api.MapPost("/payments/webhooks/simulated", ReceiveAsync)
            .AllowAnonymous()
            .WithMetadata(new OpenApi.SignedWebhookMetadata(WebhookSignature.Header))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithTags("Payments")
            .WithName("PaymentWebhook")
            .WithSummary("Payment gateway events (captured, failed, expired), signed with HMAC-SHA256.");
    }

    private static async Task<Results<Ok<WebhookAck>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, IGrainFactory grains, PaymentWebhookStore webhooks, IOptions<PaymentOptions> payments, TimeProvider clock)
    {
        var (body, refused) = await ReadSignedAsync(request, payments.Value.WebhookSecret!, clock, "webhook body", "the gateway");
        if (refused is not null)
        {
            return refused;
        }

        GatewayWebhook? webhook;
        try
        {
            webhook = JsonSerializer.Deserialize<GatewayWebhook>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            webhook = null;
        }

        if (webhook?.Data is null || string.IsNullOrEmpty(webhook.Id) || string.IsNullOrEmpty(webhook.Type) || string.IsNullOrEmpty(webhook.Data.OrderNumber))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed webhook");
        }

        // An event its order applies is recorded by the order's projection, with its effects: the
        // answer waits for the order's one write and nothing else. A redelivery is answered from the
        // order's state (it applies an event id once). Only a delivery the order did not apply is
        // recorded here, so that staff see what was refused and why.
        var paymentEvent = new PaymentEvent(webhook.Id, webhook.Type, webhook.Data.TransactionId, webhook.Data.Amount, webhook.Created)
        {
            Delivery = new PaymentWebhookDelivery(Provider, body),
        };
        var result = await grains.GetGrain<IOrderGrain>(webhook.Data.OrderNumber).ApplyPaymentEventAsync(paymentEvent);
        if (result.Outcome == TransitionOutcome.Done)
        {
            return TypedResults.Ok(new WebhookAck(webhook.Id, result.Repeated ? "duplicate" : "processed"));
        }

        var status = result.Outcome == TransitionOutcome.Invalid ? "failed" : "ignored";
        if (await webhooks.RecordAsync(Provider, webhook.Id, webhook.Type, body, status, result.Detail, CancellationToken.None) == "processed")
        {
            return TypedResults.Ok(new WebhookAck(webhook.Id, "duplicate"));
        }

        return TypedResults.Ok(new WebhookAck(webhook.Id, status, result.Detail));
    }

    /// <summary>
    /// The body of a webhook signed in this scheme (<see cref="WebhookSignature"/>, five minutes'
    /// tolerance) under <paramref name="secret"/>, or the refusal: 413 past <see cref="MaxBodyBytes"/>,
    /// 401 when the signature does not hold. The text receipts and the complaint reports use it too.
    /// </summary>
    internal static async Task<(string Body, ProblemHttpResult? Refused)> ReadSignedAsync(
        HttpRequest request, string secret, TimeProvider clock, string what, string signer)
    {
        if (await ReadBodyAsync(request) is not { } body)
        {
            return ("", TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
                detail: $"A {what} is at most {MaxBodyBytes} bytes."));
        }

        return WebhookSignature.Verify(secret, request.Headers[WebhookSignature.Header], body, clock.GetUtcNow(), Tolerance)
            ? (body, null)
            : ("", TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid signature", detail: $"The {what} is not signed by {signer}."));
    }

    /// <summary>The body as text, or null when it is larger than <see cref="MaxBodyBytes"/> (stopping there).</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes + 1;
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length))) > 0)
            {
                length += read;
            }
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return length > MaxBodyBytes ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }
}

/// <param name="Detail">Why an event was not applied (failed: refused by the order; ignored: no such order).</param>
public sealed record WebhookAck(string EventId, string Status, string? Detail = null);
