using System.ComponentModel.DataAnnotations;
using System.Net;
using MestresCafe.Api.Mail;

namespace MestresCafe.Api.TextMessages;

/// <summary>
/// The second channel (<c>TextMessages:*</c>): SMS or WhatsApp texts through a provider. Off unless
/// <see cref="Enabled"/>; then the receipt webhook's secret is required like every secret (no
/// default outside Development), and the HTTP provider needs its endpoint and key. The key and the
/// secret are secrets: environment variables or the secrets folder, never appsettings.
/// </summary>
public sealed class TextMessageOptions : OutboxSenderOptions, IValidatableObject
{
    public const string Section = "TextMessages";

    /// <summary>Whether this server sends texts and accepts receipts. Texts are queued either way (they wait).</summary>
    public bool Enabled { get; set; }

    public TextMessageProviderKind Provider { get; set; } = TextMessageProviderKind.Simulated;

    public HttpTextProviderSettings Http { get; set; } = new();

    /// <summary>The secret the provider signs delivery receipts with (the payment webhook's scheme).</summary>
    public string? WebhookSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled || Provider != TextMessageProviderKind.Http)
        {
            yield break;
        }

        if (Http.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && IsLoopback(endpoint))))
        {
            yield return new ValidationResult("TextMessages:Http:Endpoint must be an https address (http only to a loopback host).", ["Http.Endpoint"]);
        }

        if (string.IsNullOrWhiteSpace(Http.ApiKey))
        {
            yield return new ValidationResult("TextMessages:Http:ApiKey must be set for the http provider.", ["Http.ApiKey"]);
        }

        if (Lease < Http.Timeout * 2)
        {
            yield return new ValidationResult("TextMessages:Lease must be at least twice TextMessages:Http:Timeout.", ["Lease"]);
        }
    }

    private static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host, out var address) && IPAddress.IsLoopback(address));
}

public enum TextMessageProviderKind
{
    /// <summary>Records each text in simulated_text_messages (development, demo, tests).</summary>
    Simulated,
    /// <summary>Posts each text to <see cref="HttpTextProviderSettings.Endpoint"/> (a real SMS/WhatsApp provider or its adapter).</summary>
    Http,
}

public sealed class HttpTextProviderSettings
{
    public Uri? Endpoint { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c>.</summary>
    public string? ApiKey { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}
