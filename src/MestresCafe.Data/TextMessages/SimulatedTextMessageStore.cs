using Dapper;
using Npgsql;

namespace MestresCafe.Data.TextMessages;

/// <summary>
/// The simulated text provider's outbox (development and tests): each text it accepted, once per
/// message id, so a repeat after a crash gets the first acceptance's provider id back.
/// </summary>
public sealed class SimulatedTextMessageStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records the text; the provider id it was (or had already been) given.</summary>
    public async Task<string> AcceptAsync(Guid messageId, string channel, string recipient, string body, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            insert into simulated_text_messages (provider_message_id, message_id, channel, recipient, body)
            values ('sim-' || replace(gen_random_uuid()::text, '-', ''), @messageId, @channel, @recipient, @body)
            on conflict (message_id) do update set message_id = excluded.message_id
            returning provider_message_id
            """,
            new { messageId, channel, recipient, body }, cancellationToken: cancellationToken)) ?? "";
    }
}
