namespace MestresCafe.Data.Marketing;

/// <summary>
/// Who may receive a marketing text (a text campaign's), the LGPD rules in one place beside
/// <see cref="MarketingMailSql"/>: an active, not erased account with a phone that chose a text
/// channel (text_message_preferences) and whose latest marketing consent for that channel (purpose
/// 'sms' or 'whatsapp') is granted. A reply of SAIR withdraws that consent (source 'text_reply'),
/// so the same condition keeps the phone out of every later campaign.
/// </summary>
public static class MarketingTextSql
{
    /// <summary>The text channel chosen: joins <c>p</c> to the users row <c>u</c> (a left join keeps those without, whom <see cref="Reachable"/> refuses).</summary>
    public const string ChannelJoin = "left join text_message_preferences p on p.user_id = u.id";

    /// <summary>The condition on <c>u</c> and <c>p</c>: this account may receive a marketing text on <c>p.channel</c> now (false, never null).</summary>
    public const string Reachable =
        """
        coalesce(u.is_active
         and u.phone is not null
         and p.channel is not null
         and not exists (select 1 from personal_data_erasures e where e.user_id = u.id)
         and (select mc.granted from marketing_consents mc
              where mc.user_id = u.id and mc.purpose = p.channel
              order by mc.recorded_at desc, mc.id desc limit 1), false)
        """;
}
