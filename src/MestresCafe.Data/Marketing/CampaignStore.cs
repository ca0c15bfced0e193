using Dapper;
using MestresCafe.Data.Audit;
using MestresCafe.Marketing;
using Npgsql;

namespace MestresCafe.Data.Marketing;

public sealed record CampaignRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string Type { get; init; } = "email";
    /// <summary>email, or text (SMS/WhatsApp, each recipient on the channel they chose).</summary>
    public string Channel { get; init; } = CampaignChannels.Email;
    public string Status { get; init; } = "";
    /// <summary>The e-mail template (e-mail campaigns).</summary>
    public string? Template { get; init; }
    /// <summary>The text's body in the notices' template language (text campaigns).</summary>
    public string? TextBody { get; init; }
    public string? Audience { get; init; }
    public long? SegmentId { get; init; }
    public string? NewsletterTopic { get; init; }
    public int SendRate { get; init; }
    public int ConversionWindowDays { get; init; }
    /// <summary>When sending starts (scheduled) or started.</summary>
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? AudienceFrozenAt { get; init; }
    public int TotalRecipients { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What the back office sets on a campaign.</summary>
public sealed record CampaignFields(
    string Name, string? Description, string Channel, string? Template, string? TextBody, string Audience, long? SegmentId, string? NewsletterTopic,
    int SendRate, int ConversionWindowDays);

/// <summary>A test text: sent (its message id and the staff member's phone), or why not.</summary>
public sealed record CampaignTextTest(CampaignWriteStatus Status, Guid? MessageId = null, string? Phone = null);

public enum CampaignWriteStatus
{
    Done,
    NotFound,
    /// <summary>The campaign is past the state the change needs (sending started, completed, cancelled).</summary>
    WrongState,
    /// <summary>A field refers to something that cannot be used; <see cref="CampaignWrite.Field"/> and <see cref="CampaignWrite.Message"/> say what.</summary>
    Invalid,
}

public sealed record CampaignWrite(CampaignWriteStatus Status, CampaignRow? Campaign = null, string? Field = null, string? Message = null);

/// <summary>
/// Campaigns for the back office (relational-first: each write one transaction with its audit row).
/// Editing is allowed while the campaign is a draft or scheduled; sending is the dispatcher's
/// (<see cref="CampaignDispatchStore"/>), which the schedule and "send now" only make due.
/// </summary>
public sealed class CampaignStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """
        id, name, description, type, channel, status, template, text_body, audience, segment_id, newsletter_topic, send_rate, conversion_window_days,
        start_date, audience_frozen_at, total_recipients, completed_at, created_at, updated_at
        """;

    public async Task<IReadOnlyList<CampaignRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<CampaignRow>(new CommandDefinition(
            $"select {Columns} from campaigns order by created_at desc, id desc", cancellationToken: cancellationToken))).AsList();
    }

    public async Task<CampaignRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, null, id, lockRow: false, cancellationToken);
    }

    public async Task<CampaignWrite> CreateAsync(CampaignFields fields, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await CheckReferencesAsync(connection, transaction, fields, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            insert into campaigns (name, description, type, channel, status, template, text_body, audience, segment_id, newsletter_topic, send_rate,
                                   conversion_window_days, created_by)
            values (@Name, @Description, case when @Channel = 'text' then 'sms' else 'email' end, @Channel, 'draft', @Template, @TextBody, @Audience,
                    @SegmentId, @NewsletterTopic, @SendRate, @ConversionWindowDays, (select id from users where id = @ActorId))
            returning id
            """, Values(fields, actor), transaction, cancellationToken: cancellationToken));
        var after = await GetAsync(connection, transaction, id, lockRow: false, cancellationToken);
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("campaign.create", "campaigns", id, null, after), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CampaignWrite(CampaignWriteStatus.Done, after);
    }

    public Task<CampaignWrite> UpdateAsync(long id, CampaignFields fields, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, "campaign.update", ["draft", "scheduled"], actor, async (connection, transaction) =>
        {
            if (await CheckReferencesAsync(connection, transaction, fields, cancellationToken) is { } invalid)
            {
                return invalid;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                update campaigns
                set name = @Name, description = @Description, type = case when @Channel = 'text' then 'sms' else 'email' end, channel = @Channel,
                    template = @Template, text_body = @TextBody, audience = @Audience, segment_id = @SegmentId,
                    newsletter_topic = @NewsletterTopic, send_rate = @SendRate, conversion_window_days = @ConversionWindowDays
                where id = @Id
                """, new
                {
                    Id = id, fields.Name, fields.Description, fields.Channel, fields.Template, fields.TextBody, fields.Audience, fields.SegmentId,
                    fields.NewsletterTopic, fields.SendRate, fields.ConversionWindowDays,
                },
                transaction, cancellationToken: cancellationToken));
            return null;
        }, cancellationToken);

    /// <summary>Makes the campaign due at <paramref name="at"/> (now for "send now"): the dispatchers start it then.</summary>
    public Task<CampaignWrite> ScheduleAsync(long id, DateTimeOffset? at, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, at is null ? "campaign.send" : "campaign.schedule", ["draft", "scheduled"], actor, async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update campaigns set status = 'scheduled', start_date = coalesce(@at, now()) where id = @id",
                new { id, at }, transaction, cancellationToken: cancellationToken));
            return null;
        }, cancellationToken);

    /// <summary>
    /// Pauses a scheduled or sending campaign: the dispatchers pass it by, so no further recipient is
    /// queued (the ones already handed to the mail outbox still go). The row lock waits for a
    /// dispatch step in progress, so nothing is queued after the pause returns.
    /// </summary>
    public Task<CampaignWrite> PauseAsync(long id, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, "campaign.pause", ["scheduled", "active"], actor, async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update campaigns set status = 'paused' where id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            return null;
        }, cancellationToken);

    /// <summary>
    /// Resumes a paused campaign where it stopped: its pending recipients are queued at its rate
    /// (at most a second's worth at once, not the time it was paused); one paused before its audience
    /// was frozen is scheduled again for its start time.
    /// </summary>
    public Task<CampaignWrite> ResumeAsync(long id, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, "campaign.resume", ["paused"], actor, async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update campaigns set status = case when audience_frozen_at is null then 'scheduled' else 'active' end where id = @id",
                new { id }, transaction, cancellationToken: cancellationToken));
            return null;
        }, cancellationToken);

    /// <summary>Stops the campaign: recipients not yet handed to the mail outbox are never sent.</summary>
    public Task<CampaignWrite> CancelAsync(long id, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, "campaign.cancel", ["draft", "scheduled", "active", "paused"], actor, async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update campaigns set status = 'cancelled', completed_at = now() where id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            return null;
        }, cancellationToken);

    /// <summary>
    /// Queues the campaign's e-mail to a staff member's own address (a test: no recipient row, no
    /// tracking, marked "[TESTE]" nowhere but the audit). Null when the campaign or the user is gone.
    /// </summary>
    public async Task<Guid?> SendTestAsync(long id, long staffUserId, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var messageId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            $$"""
            insert into outbound_messages (message_id, template, user_id, recipient, data)
            select gen_random_uuid(), c.template, u.id, u.email,
                   jsonb_build_object('first_name', coalesce(u.first_name, ''), 'campaign', jsonb_build_object('id', c.id, 'name', c.name),
                                      '{{MarketingMessageData.Field}}', jsonb_build_object('{{MarketingMessageData.Unsubscribe}}', 'u' || u.id))
            from campaigns c, users u
            where c.id = @id and c.template is not null and u.id = @staffUserId
            returning message_id
            """, new { id, staffUserId }, transaction, cancellationToken: cancellationToken));
        if (messageId is not null)
        {
            await AuditTrail.WriteAsync(connection, transaction,
                new AuditEntry("campaign.test", "campaigns", id, null, new { messageId }), actor, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return messageId;
    }

    /// <summary>
    /// Queues a text campaign's text to a staff member's own phone, on the text channel they chose
    /// (SMS when none): no recipient row, so its links are not tracked. Invalid when they have no phone.
    /// A test is the staff member's own request, so no marketing consent is asked for.
    /// </summary>
    public async Task<CampaignTextTest> SendTextTestAsync(long id, long staffUserId, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await GetAsync(connection, transaction, id, lockRow: false, cancellationToken) is not { TextBody: not null })
        {
            return new CampaignTextTest(CampaignWriteStatus.NotFound);
        }

        var sent = await connection.QuerySingleOrDefaultAsync<SentTest>(new CommandDefinition(
            $$"""
            insert into outbound_messages (message_id, channel, template, user_id, recipient, data)
            select gen_random_uuid(), coalesce(p.channel, 'sms'), '{{MarketingText.Template}}', u.id, u.phone,
                   jsonb_build_object('first_name', coalesce(u.first_name, ''), 'campaign', jsonb_build_object('id', c.id, 'name', c.name),
                                      '{{MarketingText.DataField}}', jsonb_build_object('{{MarketingText.BodyField}}', c.text_body))
            from campaigns c, users u
            {{MarketingTextSql.ChannelJoin}}
            where c.id = @id and u.id = @staffUserId and u.phone is not null
            returning message_id, recipient
            """, new { id, staffUserId }, transaction, cancellationToken: cancellationToken));
        if (sent is null)
        {
            return new CampaignTextTest(CampaignWriteStatus.Invalid);
        }

        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("campaign.test", "campaigns", id, null, new { sent.MessageId, channel = CampaignChannels.Text }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CampaignTextTest(CampaignWriteStatus.Done, sent.MessageId, sent.Recipient);
    }

    private async Task<CampaignWrite> ChangeAsync(
        long id, string action, string[] allowedFrom, AuditActor actor,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<CampaignWrite?>> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await GetAsync(connection, transaction, id, lockRow: true, cancellationToken);
        if (before is null)
        {
            return new CampaignWrite(CampaignWriteStatus.NotFound);
        }

        if (!allowedFrom.Contains(before.Status))
        {
            return new CampaignWrite(CampaignWriteStatus.WrongState, before);
        }

        if (await change(connection, transaction) is { } refused)
        {
            return refused;
        }

        var after = await GetAsync(connection, transaction, id, lockRow: false, cancellationToken);
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry(action, "campaigns", id, before, after), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CampaignWrite(CampaignWriteStatus.Done, after);
    }

    /// <summary>An e-mail campaign's template must be an active marketing or newsletter one; a segment audience must name an active segment.</summary>
    private static async Task<CampaignWrite?> CheckReferencesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CampaignFields fields, CancellationToken cancellationToken)
    {
        var found = await connection.QuerySingleAsync<(bool Template, bool Segment)>(new CommandDefinition(
            """
            select exists (select 1 from email_templates where name = @Template and is_active and type in ('marketing', 'newsletter')),
                   exists (select 1 from customer_segments where id = @SegmentId and is_active)
            """, fields, transaction, cancellationToken: cancellationToken));
        if (fields.Channel == CampaignChannels.Email && !found.Template)
        {
            return new CampaignWrite(CampaignWriteStatus.Invalid, Field: "template", Message: "No active marketing or newsletter e-mail template by this name.");
        }

        return fields.Audience == CampaignAudiences.Segment && !found.Segment
            ? new CampaignWrite(CampaignWriteStatus.Invalid, Field: "segmentId", Message: "No active segment with this id.")
            : null;
    }

    private static object Values(CampaignFields fields, AuditActor actor) => new
    {
        fields.Name, fields.Description, fields.Channel, fields.Template, fields.TextBody, fields.Audience, fields.SegmentId, fields.NewsletterTopic,
        fields.SendRate, fields.ConversionWindowDays, ActorId = actor.UserId,
    };

    private static Task<CampaignRow?> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, bool lockRow, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(
            $"select {Columns} from campaigns where id = @id{(lockRow ? " for update" : "")}", new { id }, transaction, cancellationToken: cancellationToken));

    private sealed record SentTest
    {
        public Guid MessageId { get; init; }
        public string Recipient { get; init; } = "";
    }
}
