using MestresCafe.Data.TextMessages;

namespace MestresCafe.Api.TextMessages;

/// <summary>Accepts every text and records it in simulated_text_messages, where the demo and the tests read it.</summary>
public sealed class SimulatedTextMessageProvider(SimulatedTextMessageStore store) : ITextMessageProvider
{
    public const string ProviderName = "simulated";

    public string Name => ProviderName;

    public async Task<TextAccepted> SendAsync(TextMessage message, CancellationToken cancellationToken)
    {
        var id = await store.AcceptAsync(message.MessageId, message.Channel, message.To, message.Body, cancellationToken);
        return new TextAccepted(id, "accepted " + id);
    }
}
