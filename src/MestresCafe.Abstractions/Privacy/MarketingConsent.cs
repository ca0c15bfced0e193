namespace MestresCafe.Privacy;

/// <summary>What a customer may consent to, and where a consent was given: the lists the marketing_consents CHECKs hold.</summary>
public static class MarketingConsent
{
    /// <summary>E-mail marketing: granting it subscribes the account's e-mail to the newsletter, withdrawing it unsubscribes it.</summary>
    public const string EmailMarketing = "email_marketing";
    public const string WhatsApp = "whatsapp";
    public const string Sms = "sms";
    /// <summary>Use of the purchase history for segments and recommendations.</summary>
    public const string Personalization = "personalization";

    public static readonly IReadOnlyList<string> Purposes = [EmailMarketing, WhatsApp, Sms, Personalization];

    public const string AccountSettings = "account_settings";
    public const string NewsletterForm = "newsletter_form";
    /// <summary>Withdrawn by the unsubscribe link of a marketing e-mail.</summary>
    public const string UnsubscribeLink = "unsubscribe_link";
    /// <summary>Withdrawn by a spam complaint the recipient's mailbox provider reported.</summary>
    public const string Complaint = "complaint";
    /// <summary>Withdrawn by a reply of SAIR (or another opt-out word) to a marketing text.</summary>
    public const string TextReply = "text_reply";

    public static readonly IReadOnlyList<string> Sources = [AccountSettings, "checkout", "registration", NewsletterForm, "support", UnsubscribeLink, Complaint, TextReply];
}
