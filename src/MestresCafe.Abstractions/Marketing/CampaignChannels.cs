namespace MestresCafe.Marketing;

/// <summary>
/// The channels a campaign goes out on (the campaigns.channel CHECK): e-mail, or a short text that
/// each recipient gets on the text channel they chose (SMS or WhatsApp).
/// </summary>
public static class CampaignChannels
{
    public const string Email = "email";
    public const string Text = "text";

    public static readonly IReadOnlyList<string> All = [Email, Text];
}
