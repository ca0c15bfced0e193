namespace MestresCafe.Api.TextMessages;

/// <summary>One text for a provider: the message id travels as the idempotency key, so a provider that honours it sends a repeat once.</summary>
public sealed record TextMessage(Guid MessageId, string Channel, string To, string Body);

/// <param name="ProviderMessageId">The provider's id, which its delivery receipts name.</param>
/// <param name="Reply">What the provider answered, kept with the message.</param>
public sealed record TextAccepted(string ProviderMessageId, string Reply);

/// <summary>Where texts go: the HTTP provider in production, the simulated one in development and tests.</summary>
public interface ITextMessageProvider
{
    /// <summary>The name receipts are recorded under.</summary>
    string Name { get; }

    /// <summary>Hands the text over; throws <see cref="TextProviderException"/> when the provider refused or could not be reached.</summary>
    Task<TextAccepted> SendAsync(TextMessage message, CancellationToken cancellationToken);
}

/// <summary>A text the provider did not take. <see cref="Permanent"/>: it never will as it is (a bad number, a refused body); otherwise try again later.</summary>
public sealed class TextProviderException(string message, bool permanent, string? reply, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;

    public string? Reply { get; } = reply;
}
