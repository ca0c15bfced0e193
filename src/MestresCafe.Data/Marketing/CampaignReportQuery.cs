using Dapper;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>
/// A campaign's figures. Rates are over the messages delivered to the relay (sent); conversions
/// are paid orders attributed to a click (campaign_conversions) with their revenue. A text
/// campaign has no opens (a text has no pixel: opened, open rate and click-to-open rate are null)
/// and counts delivered from the provider's receipts; an e-mail campaign's delivered is null (SMTP
/// only says sent).
/// </summary>
public sealed record CampaignReport
{
    public long CampaignId { get; init; }
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    /// <summary>email or text.</summary>
    public string Channel { get; init; } = "";
    public DateTimeOffset? StartDate { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public int ConversionWindowDays { get; init; }
    /// <summary>The frozen audience.</summary>
    public long Recipients { get; init; }
    /// <summary>Not yet handed to the mail outbox.</summary>
    public long Pending { get; init; }
    /// <summary>Dropped at their turn: they unsubscribed, bounced or withdrew consent after the freeze.</summary>
    public long Skipped { get; init; }
    public long Queued { get; init; }
    public long Sent { get; init; }
    public long Failed { get; init; }
    /// <summary>Texts the provider reported delivered (or read); null for e-mail.</summary>
    public long? Delivered { get; init; }
    public long Bounced { get; init; }
    /// <summary>Null for texts.</summary>
    public long? Opened { get; init; }
    public long Clicked { get; init; }
    public long Unsubscribed { get; init; }
    /// <summary>Reported as spam by the recipient's mailbox provider (a feedback report about this campaign's message).</summary>
    public long Complained { get; init; }
    public long Conversions { get; init; }
    public decimal Revenue { get; init; }
    public decimal? OpenRate { get; init; }
    public decimal ClickRate { get; init; }
    public decimal? ClickToOpenRate { get; init; }
    public decimal ConversionRate { get; init; }
    public decimal UnsubscribeRate { get; init; }
    public decimal ComplaintRate { get; init; }
}

public sealed class CampaignReportQuery(NpgsqlDataSource dataSource)
{
    public async Task<CampaignReport?> GetAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var report = await connection.QuerySingleOrDefaultAsync<CampaignReport>(new CommandDefinition(
            """
            select c.id as campaign_id, c.name, c.status, c.channel, c.start_date, c.completed_at, c.conversion_window_days,
                   count(r.id) as recipients,
                   count(r.id) filter (where r.status = 'pending') as pending,
                   count(r.id) filter (where r.status = 'unsubscribed' and r.unsubscribed_at is null) as skipped,
                   count(m.id) as queued,
                   count(m.id) filter (where m.status = 'sent') as sent,
                   count(m.id) filter (where m.status = 'failed') as failed,
                   case when c.channel = 'text' then count(m.id) filter (where m.delivery_status in ('delivered', 'read')) end as delivered,
                   count(r.id) filter (where r.status = 'bounced') as bounced,
                   case when c.channel = 'email' then count(r.opened_at) end as opened,
                   count(r.clicked_at) as clicked,
                   count(r.unsubscribed_at) as unsubscribed,
                   count(r.complained_at) as complained,
                   (select count(*) from campaign_conversions v where v.campaign_id = c.id) as conversions,
                   (select coalesce(sum(v.revenue), 0) from campaign_conversions v where v.campaign_id = c.id) as revenue
            from campaigns c
            left join campaign_recipients r on r.campaign_id = c.id
            left join outbound_messages m on m.message_id = r.message_id
            where c.id = @campaignId
            group by c.id
            """, new { campaignId }, cancellationToken: cancellationToken));
        return report is null ? null : report with
        {
            OpenRate = report.Opened is { } opened ? Rate(opened, report.Sent) : null,
            ClickRate = Rate(report.Clicked, report.Sent),
            ClickToOpenRate = report.Opened is { } open ? Rate(report.Clicked, open) : null,
            ConversionRate = Rate(report.Conversions, report.Sent),
            UnsubscribeRate = Rate(report.Unsubscribed, report.Sent),
            ComplaintRate = Rate(report.Complained, report.Sent),
        };
    }

    /// <summary>A share as a fraction with four decimals (0.1234 is 12.34 %); zero over nothing.</summary>
    public static decimal Rate(long part, long whole) => whole == 0 ? 0 : decimal.Round((decimal)part / whole, 4);
}
