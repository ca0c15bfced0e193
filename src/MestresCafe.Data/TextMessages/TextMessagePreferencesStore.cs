using Dapper;
using Npgsql;

namespace MestresCafe.Data.TextMessages;

/// <summary>The text channel a user chose (null: e-mail only) and the phone texts go to.</summary>
public sealed record TextChannelChoice(string? Channel, string? Phone);

/// <summary>
/// text_message_preferences for the signed-in user. The queueing statement
/// (<see cref="Mail.OutboundMessageSql.EnqueueForUser"/>) reads the same row, so a choice holds from
/// the next message on.
/// </summary>
public sealed class TextMessagePreferencesStore(NpgsqlDataSource dataSource)
{
    public async Task<TextChannelChoice?> GetAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TextChannelChoice>(new CommandDefinition(
            "select p.channel, u.phone from users u left join text_message_preferences p on p.user_id = u.id where u.id = @userId",
            new { userId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Saves the choice (null turns texts off); null when a channel was chosen but the account has no
    /// phone, in which case nothing is written (the phone is checked in the same statement as the write).
    /// </summary>
    public async Task<TextChannelChoice?> SaveAsync(long userId, string? channel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (channel is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from text_message_preferences where user_id = @userId", new { userId }, cancellationToken: cancellationToken));
            return await GetAsync(userId, cancellationToken);
        }

        var saved = await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into text_message_preferences (user_id, channel)
            select u.id, @channel from users u where u.id = @userId and u.phone is not null
            on conflict (user_id) do update set channel = excluded.channel, updated_at = now()
            """,
            new { userId, channel }, cancellationToken: cancellationToken));
        return saved == 1 ? await GetAsync(userId, cancellationToken) : null;
    }
}
