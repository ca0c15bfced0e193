namespace MestresCafe.Grains.Loyalty;

public sealed class LoyaltyOptions
{
    public const string Section = "Loyalty";

    /// <summary>
    /// How often an account with something time-bound (points that expire, a tier above the lowest,
    /// an issued reward coupon) wakes up by itself to expire points and move its tier, even when the
    /// customer never comes back. Reminders tick at most once a minute in production.
    /// </summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a server keeps the program, rewards and achievements before reading them again: a
    /// back-office change reaches every running account within this time.
    /// </summary>
    public TimeSpan CatalogCacheFor { get; set; } = TimeSpan.FromSeconds(5);
}
