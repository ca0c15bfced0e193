using Dapper;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>
/// Opens and clicks of a campaign's recipients, from the pixel and the signed redirect links. The
/// first of each sets its time; every one is counted in tracking_data. A status only moves forward
/// (queued -> opened -> clicked); converted, unsubscribed and bounced stay. A click counts as an
/// open too (images are often blocked).
/// </summary>
public sealed class CampaignTrackingStore(NpgsqlDataSource dataSource)
{
    public async Task<bool> RecordOpenAsync(long recipientId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            update campaign_recipients
            set opened_at = coalesce(opened_at, now()),
                status = case when status in ('queued', 'sent', 'delivered') then 'opened' else status end,
                tracking_data = jsonb_set(tracking_data, '{opens}', to_jsonb(coalesce((tracking_data ->> 'opens')::int, 0) + 1))
            where id = @recipientId and status <> 'pending'
            """, new { recipientId }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> RecordClickAsync(long recipientId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            update campaign_recipients
            set opened_at = coalesce(opened_at, now()),
                clicked_at = coalesce(clicked_at, now()),
                status = case when status in ('queued', 'sent', 'delivered', 'opened') then 'clicked' else status end,
                tracking_data = jsonb_set(tracking_data, '{clicks}', to_jsonb(coalesce((tracking_data ->> 'clicks')::int, 0) + 1))
            where id = @recipientId and status <> 'pending'
            """, new { recipientId }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The body of the text campaign a recipient got (its links are what the short links lead to); null for anyone else.</summary>
    public async Task<string?> TextBodyAsync(long recipientId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            select c.text_body from campaign_recipients r join campaigns c on c.id = r.campaign_id
            where r.id = @recipientId and r.status <> 'pending' and c.channel = 'text'
            """, new { recipientId }, cancellationToken: cancellationToken));
    }
}
