using Dapper;
using Npgsql;

namespace MestresCafe.Data.Privacy;

/// <summary>An export's state as the customer sees it; never its content.</summary>
public sealed record DataExportStatus
{
    public Guid Id { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset? DownloadedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

public enum DataExportFormat
{
    Zip,
    Json,
}

/// <summary>
/// personal_data_exports: a request, built in the background (<see cref="ClaimAsync"/>), then
/// downloaded once by its token, whose SHA-256 alone is stored. The content is removed when it is
/// downloaded or expires: the file is a copy of personal data and should not outlive its purpose.
/// </summary>
public sealed class PersonalDataExportStore(NpgsqlDataSource dataSource)
{
    /// <summary>A new request; any earlier one of the user still pending or ready lapses (one live copy at a time).</summary>
    public async Task<DataExportStatus> RequestAsync(long userId, string tokenHash, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update personal_data_exports set status = 'expired', document = null, archive = null
            where user_id = @userId and status in ('pending', 'ready')
            """, new { userId }, transaction, cancellationToken: cancellationToken));
        var created = await connection.QuerySingleAsync<DataExportStatus>(new CommandDefinition(
            """
            insert into personal_data_exports (id, user_id, token_hash, expires_at)
            values (gen_random_uuid(), @userId, @tokenHash, now() + @lifetime)
            returning id, status, requested_at, ready_at, downloaded_at, expires_at
            """, new { userId, tokenHash, lifetime }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public async Task<DataExportStatus?> LatestAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DataExportStatus>(new CommandDefinition(
            """
            select id, case when status = 'ready' and expires_at <= now() then 'expired' else status end as status,
                   requested_at, ready_at, downloaded_at, expires_at
            from personal_data_exports where user_id = @userId order by requested_at desc limit 1
            """, new { userId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Builds pending exports, each in the transaction that locks its row (another server skips it),
    /// with <paramref name="build"/> producing the JSON document and the zip; the number built.
    /// </summary>
    public async Task<int> BuildPendingAsync(Func<long, CancellationToken, Task<(byte[] Document, byte[] Archive)?>> build, int limit, CancellationToken cancellationToken)
    {
        var built = 0;
        for (var i = 0; i < limit; i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var pending = await connection.QuerySingleOrDefaultAsync<PendingExport>(new CommandDefinition(
                """
                select id, user_id from personal_data_exports where status = 'pending'
                order by requested_at limit 1 for update skip locked
                """, transaction: transaction, cancellationToken: cancellationToken));
            if (pending is null)
            {
                return built;
            }

            var content = await build(pending.UserId, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                content is { } c
                    ? "update personal_data_exports set status = 'ready', ready_at = now(), document = @document, archive = @archive where id = @id"
                    : "update personal_data_exports set status = 'failed' where id = @id",
                new { pending.Id, document = content?.Document, archive = content?.Archive }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            built++;
        }

        return built;
    }

    /// <summary>Ready exports past their lifetime lose their content; the number expired.</summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "update personal_data_exports set status = 'expired', document = null, archive = null where status = 'ready' and expires_at <= now()",
            cancellationToken: cancellationToken));
    }

    /// <summary>The content, once: the same token a second time, or after expiry, finds nothing.</summary>
    public async Task<byte[]?> DownloadAsync(string tokenHash, DataExportFormat format, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // FROM's row is the one before the update: its content is returned while the row loses it.
        return await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            $"""
            update personal_data_exports e
            set status = 'downloaded', downloaded_at = now(), document = null, archive = null
            from (select id, document, archive from personal_data_exports
                  where token_hash = @tokenHash and status = 'ready' and expires_at > now() for update) before
            where e.id = before.id
            returning before.{(format == DataExportFormat.Json ? "document" : "archive")}
            """, new { tokenHash }, cancellationToken: cancellationToken));
    }

    private sealed record PendingExport
    {
        public Guid Id { get; init; }
        public long UserId { get; init; }
    }
}
