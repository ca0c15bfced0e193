using MestresCafe.Api.Payments;
using MestresCafe.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.TextMessages;

/// <summary>
/// The text provider's webhooks (receipts, replies): what each checks before it reads a body (texts
/// enabled on this server, the body's size, its signature with <c>TextMessages:WebhookSecret</c> in
/// the payment webhook's scheme: HMAC-SHA256 over timestamp and body, five minutes' tolerance), then
/// the event parsed or refused as malformed, then recorded.
/// </summary>
public static class TextWebhookRequest
{
    /// <summary>The signed body, or the problem to answer instead.</summary>
    private static async Task<(string? Body, ProblemHttpResult? Refusal)> ReadSignedAsync(
        HttpRequest request, TextMessageOptions settings, TimeProvider clock, string what)
    {
        if (!settings.Enabled)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Texts are not enabled on this server."));
        }

        var (body, refused) = await PaymentWebhookApi.ReadSignedAsync(request, settings.WebhookSecret!, clock, what, "the provider");
        return refused is null ? (body, null) : (null, refused);
    }

    /// <summary>One webhook route: anonymous to the bearer scheme, authenticated by its signature header (declared as its security, like the payment webhook's), its problems declared.</summary>
    public static RouteHandlerBuilder MapTextWebhook(this RouteGroupBuilder api, string route, Delegate handler, string name, string summary) =>
        api.MapPost(route, handler)
            .AllowAnonymous()
            .WithMetadata(new OpenApi.SignedWebhookMetadata(WebhookSignature.Header))
            .WithTags("Notifications")
            .WithName(name)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary(summary);

    /// <summary>Checks the request, parses its event (null: 400 with <paramref name="malformed"/>) and records it; the acknowledgement.</summary>
    public static async Task<Results<Ok<TAck>, ProblemHttpResult>> ReceiveAsync<TEvent, TAck>(
        HttpRequest request, TextMessageOptions settings, TimeProvider clock, string what, Func<string, TEvent?> parse, string malformed,
        Func<TEvent, Task<TAck>> record)
        where TEvent : class
    {
        var (body, refusal) = await ReadSignedAsync(request, settings, clock, what);
        if (refusal is not null)
        {
            return refusal;
        }

        return parse(body!) is { } parsed
            ? TypedResults.Ok(await record(parsed))
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Malformed {what}", detail: malformed);
    }

    /// <summary>The body as the provider's JSON shape; null when it is not JSON of that shape.</summary>
    public static T? Deserialize<T>(string body)
        where T : class
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<T>(body, System.Text.Json.JsonSerializerOptions.Web);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
