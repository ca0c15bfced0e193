using Dapper;
using MestresCafe.Marketing;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>What one dispatch step did: the campaign it worked on (none due: null), recipients queued, and whether it finished.</summary>
public sealed record DispatchStep(long? CampaignId, int Frozen, int Queued, bool Completed)
{
    public static readonly DispatchStep Idle = new(null, 0, 0, false);
}

/// <summary>
/// Sends campaigns: every server's dispatcher calls <see cref="DispatchNextAsync"/> in a loop.
/// <para>
/// Why SQL and not a grain per campaign: each step is one transaction that locks the campaign row
/// (<c>for update skip locked</c>, so another server moves on to another campaign instead of
/// waiting), freezes the audience the first time (audience_frozen_at), and moves a batch of
/// recipients pending -> queued in the same statement that writes their outbound_messages rows,
/// whose message id derives from the recipient (an e-mail, or a text on the channel the customer
/// chose: the same step for both). A server dying mid-step rolls the whole step back;
/// one dying after it leaves queued messages that the mail senders' leases deliver. A recipient
/// leaves 'pending' once and its message id is unique, so nobody is queued twice: the guarantee
/// lives in the rows themselves, where a grain would need the same rows to survive its own crash.
/// The row lock also makes the send rate cluster-wide: the token bucket (last_dispatch_at) is read
/// and advanced under it.
/// </para>
/// </summary>
public sealed class CampaignDispatchStore(NpgsqlDataSource dataSource)
{
    /// <summary>At most this much sending time accumulates while nobody dispatched (a burst after an idle spell).</summary>
    public static readonly TimeSpan Burst = TimeSpan.FromSeconds(1);

    /// <summary>One step on the first due campaign nobody else is working on: freeze its audience if needed, queue up to what its rate allows (at most <paramref name="maxBatch"/>).</summary>
    public async Task<DispatchStep> DispatchNextAsync(int maxBatch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var campaign = await connection.QuerySingleOrDefaultAsync<DueCampaign>(new CommandDefinition(
            """
            select id, name, channel, template, text_body, audience, segment_id, newsletter_topic, send_rate, audience_frozen_at, last_dispatch_at, now() as now
            from campaigns
            where status in ('scheduled', 'active') and start_date <= now() and audience is not null
              and (template is not null or text_body is not null)
            order by start_date, id
            limit 1
            for update skip locked
            """, transaction: transaction, cancellationToken: cancellationToken));
        if (campaign is null)
        {
            return DispatchStep.Idle;
        }

        var frozen = 0;
        if (campaign.AudienceFrozenAt is null)
        {
            frozen = await FreezeAudienceAsync(connection, transaction, campaign, cancellationToken);
        }

        // The token bucket: send_rate recipients per second since the last step, at most a burst's worth.
        var start = campaign.LastDispatchAt is { } last && last > campaign.Now - Burst ? last : campaign.Now - Burst;
        var allowed = (int)Math.Min(maxBatch, Math.Floor((campaign.Now - start).TotalSeconds * campaign.SendRate));
        var queued = allowed <= 0 ? 0 : await QueueAsync(connection, transaction, campaign, allowed, cancellationToken);
        var completed = queued < allowed && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from campaign_recipients where campaign_id = @Id and status = 'pending')",
            campaign, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update campaigns
            set last_dispatch_at = @next,
                status = case when @completed then 'completed' else 'active' end,
                completed_at = case when @completed then now() end
            where id = @id
            """,
            new { id = campaign.Id, next = start + TimeSpan.FromSeconds((double)queued / campaign.SendRate), completed },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new DispatchStep(campaign.Id, frozen, queued, completed);
    }

    /// <summary>
    /// The frozen list: the audience as it is now, without anyone who may not receive marketing on
    /// the campaign's channel (<see cref="MarketingMailSql.Reachable"/>, <see cref="MarketingTextSql.Reachable"/>).
    /// Later changes to the segment do not change it; an unsubscribe (or a SAIR) before a recipient's
    /// turn still stops its message (see QueueAsync).
    /// </summary>
    private static async Task<int> FreezeAudienceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DueCampaign campaign, CancellationToken cancellationToken)
    {
        var frozen = await connection.ExecuteAsync(new CommandDefinition(
            (campaign.Channel, campaign.Audience) switch
            {
                (CampaignChannels.Text, _) => $"""
                  insert into campaign_recipients (campaign_id, customer_id, email, phone)
                  select @Id, c.id, u.email, u.phone
                  {TextAudience(campaign.Audience)}
                  on conflict do nothing
                  """,
                (_, CampaignAudiences.Segment) => $"""
                  insert into campaign_recipients (campaign_id, customer_id, email)
                  select @Id, c.id, u.email
                  from customer_segment_members m
                  join customers c on c.id = m.customer_id and c.is_active
                  join users u on u.id = c.user_id
                  where m.segment_id = @SegmentId and m.is_active and {MarketingMailSql.Reachable}
                  on conflict (campaign_id, email) do nothing
                  """,
                _ => $"""
                  insert into campaign_recipients (campaign_id, customer_id, email)
                  select @Id, c.id, n.email
                  from newsletter_subscriptions n
                  left join users u on u.email = n.email
                  left join customers c on c.user_id = u.id
                  where {NewsletterTopicCondition}
                    and (u.id is null or {MarketingMailSql.Reachable})
                  on conflict (campaign_id, email) do nothing
                  """,
            },
            campaign, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "update campaigns set audience_frozen_at = now(), total_recipients = @frozen where id = @Id",
            new { campaign.Id, frozen }, transaction, cancellationToken: cancellationToken));
        return frozen;
    }

    private const string NewsletterTopicCondition =
        """
        n.status = 'subscribed'
        and (@NewsletterTopic::text is null or coalesce(jsonb_array_length(n.preferences -> 'topics'), 0) = 0
             or n.preferences -> 'topics' ? @NewsletterTopic)
        """;

    /// <summary>A text campaign's audience: the segment's customers, or the newsletter's subscribers (of the topic) who are customers; each only when reachable by text, once per phone.</summary>
    private static string TextAudience(string audience) => audience == CampaignAudiences.Segment
        ? $"""
          from customer_segment_members m
          join customers c on c.id = m.customer_id and c.is_active
          join users u on u.id = c.user_id
          {MarketingTextSql.ChannelJoin}
          where m.segment_id = @SegmentId and m.is_active and {MarketingTextSql.Reachable}
          """
        : $"""
          from newsletter_subscriptions n
          join users u on u.email = n.email
          join customers c on c.user_id = u.id and c.is_active
          {MarketingTextSql.ChannelJoin}
          where {NewsletterTopicCondition} and {MarketingTextSql.Reachable}
          """;

    /// <summary>
    /// Moves up to <paramref name="count"/> pending recipients to queued and writes their messages,
    /// in one statement. A recipient who may no longer receive marketing on the campaign's channel
    /// (unsubscribed, bounced, withdrew consent, replied SAIR) since the freeze is marked unsubscribed
    /// instead of queued (without unsubscribed_at: not this campaign's unsubscribe, and the report
    /// counts them as skipped). A text goes on the channel the customer chose, to their phone now.
    /// </summary>
    private static Task<int> QueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DueCampaign campaign, int count, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            $$"""
            with batch as (
                {{(campaign.Channel == CampaignChannels.Text ? TextBatch : MailBatch)}}
                where r.campaign_id = @Id and r.status = 'pending'
                order by r.id
                limit @count
                for update of r skip locked
            ), dropped as (
                update campaign_recipients r set status = 'unsubscribed', message_id = md5('campaign-recipient:' || r.id)::uuid
                from batch b where r.id = b.id and not b.reachable
            ), queued as (
                update campaign_recipients r set status = 'queued', queued_at = now(), message_id = md5('campaign-recipient:' || r.id)::uuid
                from batch b where r.id = b.id and b.reachable
                returning r.id, r.message_id, b.channel, b.address, b.user_id, b.first_name, b.subscription_id
            )
            insert into outbound_messages (message_id, channel, template, user_id, recipient, data)
            select q.message_id, q.channel, @Template, q.user_id, q.address,
                   jsonb_build_object('first_name', coalesce(q.first_name, ''), 'campaign', jsonb_build_object('id', @Id, 'name', @Name))
                   || {{(campaign.Channel == CampaignChannels.Text ? TextMarker : MailMarker)}}
            from queued q
            on conflict (message_id) do nothing
            """,
            new { campaign.Id, campaign.Name, Template = campaign.Template ?? MarketingText.Template, campaign.TextBody, count },
            transaction, cancellationToken: cancellationToken));

    private const string MailBatch =
        $$"""
        select r.id, 'email' as channel, r.email as address, u.id as user_id, u.first_name, n.id as subscription_id,
               case when u.id is not null then {{MarketingMailSql.Reachable}} else coalesce(n.status = 'subscribed', false) end as reachable
        from campaign_recipients r
        left join customers c on c.id = r.customer_id
        left join users u on u.id = c.user_id
        left join newsletter_subscriptions n on n.email = r.email
        """;

    private const string TextBatch =
        $$"""
        select r.id, p.channel, u.phone as address, u.id as user_id, u.first_name, null::bigint as subscription_id,
               {{MarketingTextSql.Reachable}} as reachable
        from campaign_recipients r
        left join customers c on c.id = r.customer_id
        left join users u on u.id = c.user_id
        {{MarketingTextSql.ChannelJoin}}
        """;

    /// <summary>The marker that gives a campaign e-mail its unsubscribe links and tracking (<see cref="MarketingMessageData"/>).</summary>
    private const string MailMarker =
        $$"""
        jsonb_build_object('{{MarketingMessageData.Field}}', jsonb_build_object(
            '{{MarketingMessageData.Unsubscribe}}', coalesce('u' || q.user_id, 's' || q.subscription_id),
            '{{MarketingMessageData.Recipient}}', q.id))
        """;

    /// <summary>What the text sender composes a campaign text from (<see cref="MarketingText"/>): the body and the recipient its short links are signed for.</summary>
    private const string TextMarker =
        $$"""
        jsonb_build_object('{{MarketingText.DataField}}', jsonb_build_object(
            '{{MarketingText.BodyField}}', @TextBody::text, '{{MarketingText.RecipientField}}', q.id))
        """;

    private sealed record DueCampaign
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Channel { get; init; } = CampaignChannels.Email;
        public string? Template { get; init; }
        public string? TextBody { get; init; }
        public string Audience { get; init; } = "";
        public long? SegmentId { get; init; }
        public string? NewsletterTopic { get; init; }
        public int SendRate { get; init; }
        public DateTimeOffset? AudienceFrozenAt { get; init; }
        public DateTimeOffset? LastDispatchAt { get; init; }
        public DateTimeOffset Now { get; init; }
    }
}
