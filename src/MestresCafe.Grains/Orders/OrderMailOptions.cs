namespace MestresCafe.Grains.Orders;

/// <summary>Timing of the order e-mails that wait (<c>OrderMail</c>).</summary>
public sealed class OrderMailOptions
{
    public const string Section = "OrderMail";

    /// <summary>
    /// How long after delivery the review request goes out: long enough to have opened the bag. The
    /// message is queued at delivery with this due time, so it survives restarts.
    /// </summary>
    public TimeSpan ReviewRequestDelay { get; set; } = TimeSpan.FromDays(5);
}
