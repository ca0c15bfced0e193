namespace MestresCafe.Api.OpenApi;

/// <summary>
/// Endpoint metadata for a webhook that is anonymous to the bearer scheme but authenticated by the
/// sender's signature in <paramref name="Header"/>: the document names that header as its security.
/// </summary>
public sealed record SignedWebhookMetadata(string Header);
