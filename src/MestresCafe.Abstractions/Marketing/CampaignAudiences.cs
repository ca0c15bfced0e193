namespace MestresCafe.Marketing;

/// <summary>The audiences a campaign may have (the campaigns.audience CHECK).</summary>
public static class CampaignAudiences
{
    public const string Segment = "segment";
    public const string Newsletter = "newsletter";

    public static readonly IReadOnlyList<string> All = [Segment, Newsletter];
}
