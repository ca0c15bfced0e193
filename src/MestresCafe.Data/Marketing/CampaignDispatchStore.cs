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
/// whose message id derives from the recipient. A server dying mid-step rolls the whole step back;
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
            select id, name, template, audience, segment_id, newsletter_topic, send_rate, audience_frozen_at, last_dispatch_at, now() as now
            from campaigns
            where type = 'email' and status in ('scheduled', 'active') and start_date <= now() and template is not null and audience is not null
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
    /// The frozen list: the audience as it is now, without anyone who may not receive marketing
    /// (no consent, unsubscribed, bounced, erased, inactive). Later changes to the segment do not
    /// change it; an unsubscribe before a recipient's turn still stops its message (see QueueAsync).
    /// </summary>
    private static async Task<int> FreezeAudienceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DueCampaign campaign, CancellationToken cancellationToken)
    {
        var frozen = await connection.ExecuteAsync(new CommandDefinition(
            campaign.Audience == CampaignAudiences.Segment
                ? $"""
                  insert into campaign_recipients (campaign_id, customer_id, email)
                  select @Id, c.id, u.email
                  from customer_segment_members m
                  join customers c on c.id = m.customer_id and c.is_active
                  join users u on u.id = c.user_id
                  where m.segment_id = @SegmentId and m.is_active and {MarketingMailSql.Reachable}
                  on conflict (campaign_id, email) do nothing
                  """
                : $"""
                  insert into campaign_recipients (campaign_id, customer_id, email)
                  select @Id, c.id, n.email
                  from newsletter_subscriptions n
                  left join users u on u.email = n.email
                  left join customers c on c.user_id = u.id
                  where n.status = 'subscribed'
                    and (@NewsletterTopic::text is null or coalesce(jsonb_array_length(n.preferences -> 'topics'), 0) = 0
                         or n.preferences -> 'topics' ? @NewsletterTopic)
                    and (u.id is null or {MarketingMailSql.Reachable})
                  on conflict (campaign_id, email) do nothing
                  """,
            campaign, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "update campaigns set audience_frozen_at = now(), total_recipients = @frozen where id = @Id",
            new { campaign.Id, frozen }, transaction, cancellationToken: cancellationToken));
        return frozen;
    }

    /// <summary>
    /// Moves up to <paramref name="count"/> pending recipients to queued and writes their messages,
    /// in one statement. A recipient who unsubscribed (or bounced, or withdrew consent) since the
    /// freeze is marked unsubscribed instead of queued (without unsubscribed_at: not this campaign's
    /// unsubscribe, and the report counts them as skipped).
    /// </summary>
    private static Task<int> QueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DueCampaign campaign, int count, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            $$"""
            with batch as (
                select r.id, r.email, u.id as user_id, u.first_name, n.id as subscription_id,
                       case when u.id is not null then {{MarketingMailSql.Reachable}} else coalesce(n.status = 'subscribed', false) end as reachable
                from campaign_recipients r
                left join customers c on c.id = r.customer_id
                left join users u on u.id = c.user_id
                left join newsletter_subscriptions n on n.email = r.email
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
                returning r.id, r.message_id, b.email, b.user_id, b.first_name, b.subscription_id
            )
            insert into outbound_messages (message_id, template, user_id, recipient, data)
            select q.message_id, @Template, q.user_id, q.email,
                   jsonb_build_object(
                       'first_name', coalesce(q.first_name, ''),
                       'campaign', jsonb_build_object('id', @Id, 'name', @Name),
                       '{{MarketingMessageData.Field}}', jsonb_build_object(
                           '{{MarketingMessageData.Unsubscribe}}', coalesce('u' || q.user_id, 's' || q.subscription_id),
                           '{{MarketingMessageData.Recipient}}', q.id))
            from queued q
            on conflict (message_id) do nothing
            """,
            new { campaign.Id, campaign.Name, campaign.Template, count }, transaction, cancellationToken: cancellationToken));

    private sealed record DueCampaign
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Template { get; init; } = "";
        public string Audience { get; init; } = "";
        public long? SegmentId { get; init; }
        public string? NewsletterTopic { get; init; }
        public int SendRate { get; init; }
        public DateTimeOffset? AudienceFrozenAt { get; init; }
        public DateTimeOffset? LastDispatchAt { get; init; }
        public DateTimeOffset Now { get; init; }
    }
}
