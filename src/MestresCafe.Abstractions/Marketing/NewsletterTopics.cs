namespace MestresCafe.Marketing;

/// <summary>The newsletter's topics a subscriber may choose (none chosen: all of them), and a campaign may target.</summary>
public static class NewsletterTopics
{
    public static readonly IReadOnlyList<string> All = ["cafes", "equipamentos", "cursos", "promocoes", "blog"];
}

/// <summary>
/// Why an address stopped receiving marketing, as newsletter_subscriptions.unsubscribe_reason keeps
/// it: the answers a person may give on the unsubscribe page, and those the store records itself.
/// </summary>
public static class UnsubscribeReasons
{
    /// <summary>The mail client's one-click button (RFC 8058): no question asked.</summary>
    public const string OneClick = "one_click";
    public const string ConsentWithdrawn = "consent_withdrawn";
    public const string Bounced = "bounced";
    /// <summary>The recipient marked a message as spam (a mailbox provider's feedback report).</summary>
    public const string Complaint = "complaint";

    /// <summary>What the unsubscribe page offers.</summary>
    public static readonly IReadOnlyList<string> Chosen = ["too_many", "not_relevant", "never_signed_up", "other"];
}

/// <summary>
/// How a queued message says it is marketing: its data carries an object under <see cref="Field"/>
/// naming whom its unsubscribe link unsubscribes (<c>u{userId}</c> or <c>s{subscriptionId}</c>) and,
/// for a campaign's message, the campaign recipient its opens and clicks count for. The mail
/// composer adds the unsubscribe link, the List-Unsubscribe headers and the tracking from it.
/// </summary>
public static class MarketingMessageData
{
    public const string Field = "marketing";
    public const string Unsubscribe = "unsubscribe";
    public const string Recipient = "recipient";
}
