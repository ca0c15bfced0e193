using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.TextMessages;

/// <summary>
/// A provider reached over HTTP: <c>POST {Endpoint}</c> with <c>{ reference, channel, to, body }</c>,
/// <c>Authorization: Bearer {ApiKey}</c> and the message id as <c>Idempotency-Key</c>; a 2xx answer
/// carries the provider's <c>id</c>. A real provider's own API plugs in behind this shape (directly
/// or through a small adapter), by configuration only. Which answers are worth another attempt:
/// timeouts, network errors, 408, 429 and 5xx; any other 4xx refuses the text for good.
/// </summary>
public sealed class HttpTextMessageProvider(IHttpClientFactory clients, IOptions<TextMessageOptions> options) : ITextMessageProvider
{
    public const string ProviderName = "http";

    public string Name => ProviderName;

    public async Task<TextAccepted> SendAsync(TextMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value.Http;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Endpoint)
        {
            Content = JsonContent.Create(new ProviderRequest(message.MessageId.ToString("N"), message.Channel, message.To, message.Body)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        request.Headers.Add("Idempotency-Key", message.MessageId.ToString("N"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ProviderName).SendAsync(request, timeout.Token);
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TextProviderException($"The text provider could not be reached: {error.Message}", permanent: false, reply: null, error);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            var reply = $"{(int)response.StatusCode} {Shorten(text)}";
            if (!response.IsSuccessStatusCode)
            {
                throw new TextProviderException($"The text provider answered {(int)response.StatusCode}.", IsPermanent(response.StatusCode), reply);
            }

            return ProviderId(text) is { } id
                ? new TextAccepted(id, reply)
                : throw new TextProviderException("The text provider accepted the text without an id.", permanent: false, reply);
        }
    }

    public static bool IsPermanent(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    private static string? ProviderId(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 and <= 100 } value
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length > 500 ? text[..500] : text;

    private sealed record ProviderRequest(string Reference, string Channel, string To, string Body);
}
