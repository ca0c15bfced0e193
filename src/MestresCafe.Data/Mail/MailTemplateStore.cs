using System.Text.Json;
using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Mail;

/// <summary>An email_templates row: subject and HTML (content) and text bodies in Liquid, and the sample data it is checked and previewed with.</summary>
public sealed record EmailTemplateRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Content { get; init; } = "";
    public string TextContent { get; init; } = "";
    public string Type { get; init; } = "transactional";
    public JsonElement Variables { get; init; }
    public JsonElement SampleData { get; init; }
    public bool IsActive { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A notification_templates row: the in-app notice of a message, by the same name.</summary>
public sealed record NotificationTemplateRow
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Content { get; init; } = "";
}

/// <summary>What a sender needs for one message: its template, the shared layout and the in-app notice (when it has one).</summary>
public sealed record MailTemplateSet(EmailTemplateRow? Template, EmailTemplateRow? Layout, NotificationTemplateRow? Notice);

/// <summary>email_templates and notification_templates: read by the senders, edited by the back office.</summary>
public sealed class MailTemplateStore(NpgsqlDataSource dataSource)
{
    public const string LayoutName = "layout";

    private const string Columns = "id, name, subject, content, text_content, type, variables, sample_data, is_active, updated_at";

    /// <summary>The active template named <paramref name="name"/>, the layout and the notice, in one round trip.</summary>
    public async Task<MailTemplateSet> LoadForSendingAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            select {Columns} from email_templates where name = @name and is_active;
            select {Columns} from email_templates where name = @layout;
            select name, type, subject, content from notification_templates where name = @name and is_active;
            """,
            new { name, layout = LayoutName }, cancellationToken: cancellationToken));
        var template = await results.ReadSingleOrDefaultAsync<EmailTemplateRow>();
        var layout = await results.ReadSingleOrDefaultAsync<EmailTemplateRow>();
        var notice = await results.ReadSingleOrDefaultAsync<NotificationTemplateRow>();
        return new MailTemplateSet(template, layout, notice);
    }

    public async Task<IReadOnlyList<EmailTemplateRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<EmailTemplateRow>(new CommandDefinition(
            $"select {Columns} from email_templates order by name", cancellationToken: cancellationToken))).AsList();
    }

    public async Task<EmailTemplateRow?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<EmailTemplateRow>(new CommandDefinition(
            $"select {Columns} from email_templates where name = @name", new { name }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Creates or replaces the template named <paramref name="edit"/>.Name, with an audit row holding
    /// the values before and after, in one transaction. The caller checked that it renders.
    /// </summary>
    public async Task<EmailTemplateRow> SaveAsync(EmailTemplateEdit edit, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<EmailTemplateRow>(new CommandDefinition(
            $"select {Columns} from email_templates where name = @Name for update", edit, transaction, cancellationToken: cancellationToken));
        var after = await connection.QuerySingleAsync<EmailTemplateRow>(new CommandDefinition(
            $"""
            insert into email_templates (name, subject, content, text_content, type, sample_data, is_active, created_by)
            values (@Name, @Subject, @Html, @Text, @Type, @SampleDataJson::jsonb, @IsActive, (select id from users where id = @ActorId))
            on conflict (name) do update
            set subject = excluded.subject, content = excluded.content, text_content = excluded.text_content, type = excluded.type,
                sample_data = excluded.sample_data, is_active = excluded.is_active, updated_at = now()
            returning {Columns}
            """,
            new { edit.Name, edit.Subject, edit.Html, edit.Text, edit.Type, edit.SampleDataJson, edit.IsActive, ActorId = actor.UserId },
            transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry(before is null ? "email_template.create" : "email_template.update", "email_templates", after.Id, Audited(before), Audited(after)),
            actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    private static object? Audited(EmailTemplateRow? row) => row is null
        ? null
        : new { row.Name, row.Subject, html = row.Content, text = row.TextContent, row.Type, row.IsActive, sampleData = row.SampleData.GetRawText() };
}

/// <summary>A template as the back office saves it.</summary>
public sealed record EmailTemplateEdit(string Name, string Subject, string Html, string Text, string Type, string SampleDataJson, bool IsActive);
