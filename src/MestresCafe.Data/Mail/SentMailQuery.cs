using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Mail;

/// <summary>One row of the back office's mail list.</summary>
public sealed record MailMessageRow
{
    public long Id { get; init; }
    public Guid MessageId { get; init; }
    public string Channel { get; init; } = "";
    public string Template { get; init; } = "";
    public long? UserId { get; init; }
    public string Recipient { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? Subject { get; init; }
    public string? LastError { get; init; }
    public string? SmtpReply { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    /// <summary>A text's receipt from its provider: delivered, read or undelivered (null: none yet).</summary>
    public string? DeliveryStatus { get; init; }
}

/// <summary>A message with the bodies as sent (any account link left out).</summary>
public sealed record MailMessageDetail
{
    public MailMessageRow Message { get; init; } = new();
    public string? HtmlBody { get; init; }
    public string? TextBody { get; init; }
}

public sealed record SentHtml
{
    public string Template { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? HtmlBody { get; init; }
}

public sealed record MailMessagePage(IReadOnlyList<MailMessageRow> Items, long Total, IReadOnlyDictionary<string, long> ByStatus, int Page, int PageSize);

/// <summary>outbound_messages for the back office: what was sent, what waits and what failed, and a failed message queued again.</summary>
public sealed class SentMailQuery(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, message_id, channel, template, user_id, recipient, status, attempts, next_attempt_at, subject, last_error, smtp_reply, created_at, sent_at, failed_at, delivery_status";

    /// <summary>Newest first, optionally one status and a recipient containing <paramref name="recipient"/>.</summary>
    public async Task<MailMessagePage> ListAsync(string? status, string? recipient, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        const string Filter = "(@status::text is null or status = @status) and (@recipient::text is null or strpos(lower(recipient), lower(@recipient)) > 0)";
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            select {Columns} from outbound_messages where {Filter} order by created_at desc, id desc limit @pageSize offset @offset;
            select status, count(*) as count from outbound_messages where {Filter} group by status;
            """,
            new { status, recipient, pageSize, offset = (page - 1) * pageSize }, cancellationToken: cancellationToken));
        var items = (await results.ReadAsync<MailMessageRow>()).AsList();
        var byStatus = (await results.ReadAsync<(string Status, long Count)>()).ToDictionary(c => c.Status, c => c.Count);
        return new MailMessagePage(items, byStatus.Values.Sum(), byStatus, page, pageSize);
    }

    public async Task<MailMessageDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MailMessageRow>(new CommandDefinition(
            $"select {Columns} from outbound_messages where id = @id", new { id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var bodies = await connection.QuerySingleAsync<(string? Html, string? Text)>(new CommandDefinition(
            "select html_body, text_body from outbound_messages where id = @id", new { id }, cancellationToken: cancellationToken));
        return new MailMessageDetail { Message = row, HtmlBody = bodies.Html, TextBody = bodies.Text };
    }

    /// <summary>
    /// The HTML body as kept (null inside: a text, which has none), with an audit row saying who
    /// looked at the customer's message, in one transaction; null when there is no such message.
    /// </summary>
    public async Task<SentHtml?> ViewHtmlAsync(long id, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var html = await connection.QuerySingleOrDefaultAsync<SentHtml>(new CommandDefinition(
            "select template, channel, html_body from outbound_messages where id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        if (html is null)
        {
            return null;
        }

        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("mail.view", "outbound_messages", id, null, new { html.Template, html.Channel }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return html;
    }

    /// <summary>Queues a failed message again (attempts start over), with an audit row; null when there is no failed message with this id.</summary>
    public async Task<MailMessageRow?> RetryFailedAsync(long id, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MailMessageRow>(new CommandDefinition(
            $"""
            update outbound_messages set status = 'pending', attempts = 0, next_attempt_at = now(), failed_at = null
            where id = @id and status = 'failed' returning {Columns}
            """, new { id }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("mail.retry", "outbound_messages", id, new { status = "failed" }, new { status = "pending" }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row;
    }
}
