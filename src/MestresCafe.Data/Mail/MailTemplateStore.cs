using System.Text.Json;
using Dapper;
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
}
