using Dapper;
using Npgsql;

namespace MestresCafe.Data.Notifications;

/// <summary>One of the user's notifications as the storefront shows it (never its data, which may hold a sealed link).</summary>
public sealed record MyNotification
{
    public long Id { get; init; }
    public string Type { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Content { get; init; }
    public bool IsRead { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }
}

public sealed record MyNotificationPage(IReadOnlyList<MyNotification> Items, long Total, long Unread, int Page, int PageSize);

/// <summary>
/// The signed-in user's notifications (newest first, unexpired), their unread count, and marking
/// them read. Every statement is scoped to the user id, so nobody reaches another's rows.
/// </summary>
public sealed class MyNotificationsStore(NpgsqlDataSource dataSource)
{
    private const string Visible = "user_id = @userId and (expires_at is null or expires_at > now())";

    public async Task<MyNotificationPage> ListAsync(long userId, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            select id, type, title, content, is_read, created_at, read_at from notifications
            where {Visible} order by created_at desc, id desc limit @pageSize offset @offset;
            select count(*) as total, count(*) filter (where not is_read) as unread from notifications where {Visible};
            """,
            new { userId, pageSize, offset = (page - 1) * pageSize }, cancellationToken: cancellationToken));
        var items = (await results.ReadAsync<MyNotification>()).AsList();
        var counts = await results.ReadSingleAsync<(long Total, long Unread)>();
        return new MyNotificationPage(items, counts.Total, counts.Unread, page, pageSize);
    }

    /// <summary>
    /// Marks one read (reading it again keeps the first time), and the message's row in the
    /// customer's history (same id) read with it; false when the user has no such notification.
    /// </summary>
    public async Task<bool> MarkReadAsync(long userId, long id, CancellationToken cancellationToken) =>
        await MarkAsync("id = @id and user_id = @userId", new { userId, id }, cancellationToken) == 1;

    /// <summary>Marks every unread one read, with their history rows: how many were.</summary>
    public Task<int> MarkAllReadAsync(long userId, CancellationToken cancellationToken) =>
        MarkAsync("user_id = @userId and not is_read", new { userId }, cancellationToken);

    private async Task<int> MarkAsync(string which, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            with marked as (
                update notifications set is_read = true, read_at = coalesce(read_at, now()) where {which} returning event_id, read_at
            ), history as (
                update customer_communications c set read_at = m.read_at
                from marked m where c.message_id = m.event_id and c.read_at is null
            )
            select count(*) from marked
            """,
            parameters, cancellationToken: cancellationToken));
    }
}
