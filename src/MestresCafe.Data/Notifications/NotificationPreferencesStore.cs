using Dapper;
using MestresCafe.Notifications;
using Npgsql;

namespace MestresCafe.Data.Notifications;

/// <summary>One optional category and whether the user gets it.</summary>
public sealed record NotificationPreference(string Category, bool Enabled);

/// <summary>
/// notification_preferences for the signed-in user: every optional category with its current
/// choice (the default, on, where the user never chose), and saving choices. The queueing statement
/// reads the same rows (<see cref="Mail.OutboundMessageSql.Wanted"/>).
/// </summary>
public sealed class NotificationPreferencesStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<NotificationPreference>> GetAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, userId, cancellationToken);
    }

    /// <summary>Saves the choices (a category named twice: the last one counts) and answers the whole set, in one transaction.</summary>
    public async Task<IReadOnlyList<NotificationPreference>> SaveAsync(long userId, IReadOnlyList<NotificationPreference> choices, CancellationToken cancellationToken)
    {
        var last = choices.GroupBy(c => c.Category, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into notification_preferences (user_id, category, enabled)
            select @userId, c.category, c.enabled from unnest(@categories, @enabled) as c (category, enabled)
            on conflict (user_id, category) do update set enabled = excluded.enabled, updated_at = now()
            where notification_preferences.enabled <> excluded.enabled
            """,
            new { userId, categories = last.Select(c => c.Category).ToArray(), enabled = last.Select(c => c.Enabled).ToArray() },
            transaction, cancellationToken: cancellationToken));
        var saved = await ReadAsync(connection, transaction, userId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    private static async Task<IReadOnlyList<NotificationPreference>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long userId, CancellationToken cancellationToken)
    {
        var chosen = (await connection.QueryAsync<(string Category, bool Enabled)>(new CommandDefinition(
            "select category, enabled from notification_preferences where user_id = @userId", new { userId }, transaction,
            cancellationToken: cancellationToken))).ToDictionary(c => c.Category, c => c.Enabled, StringComparer.Ordinal);
        return NotificationCategories.Optional.Select(c => new NotificationPreference(c, chosen.GetValueOrDefault(c, true))).ToList();
    }
}
