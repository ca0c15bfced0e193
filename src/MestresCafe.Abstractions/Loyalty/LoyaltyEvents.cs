namespace MestresCafe.Loyalty;

[GenerateSerializer, Alias("mc.LoyaltyOrderEventKind")]
public enum LoyaltyOrderEventKind
{
    Paid = 0,
    Delivered = 1,
    Refunded = 2,
    /// <summary>Cancelled after payment: whatever the order earned or counted is reversed in full.</summary>
    Cancelled = 3,
}

/// <summary>
/// What an order tells the customer's loyalty account. The event id is the order outbox event's id,
/// so a redelivery (at-least-once from the outbox) is recognised and counted once. Amount is, when
/// paid, delivered or cancelled, the merchandise value that earns points (subtotal less discount); when
/// refunded, the amount refunded, reversed in proportion to OrderTotal (what the customer paid).
/// </summary>
[GenerateSerializer, Alias("mc.LoyaltyOrderEvent")]
public sealed record LoyaltyOrderEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] LoyaltyOrderEventKind Kind,
    [property: Id(3)] string OrderNumber,
    [property: Id(4)] decimal Amount,
    [property: Id(5)] decimal OrderTotal)
{
    /// <summary>The products of the order (paid events), for achievements over product attributes such as origin.</summary>
    [Id(6)] public IReadOnlyList<long> ProductIds { get; init; } = [];
}

/// <summary>A non-order activity an achievement can count (review approved, course completed, referral converted).</summary>
[GenerateSerializer, Alias("mc.LoyaltyActivity")]
public sealed record LoyaltyActivity(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] string Event);

/// <summary>Names of the activities that <see cref="LoyaltyActivity.Event"/> carries (achievements.criteria.event).</summary>
public static class LoyaltyActivities
{
    public const string ReviewApproved = "review_approved";
    public const string CourseCompleted = "course_completed";
    public const string ReferralConverted = "referral_converted";

    /// <summary>
    /// The activity's event id derived from what it is about (e.g. review 42), so that the same
    /// activity reported twice (a retried request, a review approved again) counts once.
    /// </summary>
    public static Guid EventIdFor(string activity, long subjectId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"loyalty-activity:{activity}:{subjectId}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
