namespace MestresCafe.Loyalty;

[GenerateSerializer, Alias("mc.LoyaltyOrderEventKind")]
public enum LoyaltyOrderEventKind
{
    Paid = 0,
    Delivered = 1,
    Refunded = 2,
}

/// <summary>
/// What an order tells the customer's loyalty account. The event id is the order outbox event's id,
/// so a redelivery (at-least-once from the outbox) is recognised and counted once. Amount is, when
/// paid or delivered, the merchandise value that earns points (subtotal less discount); when refunded,
/// the amount refunded, reversed in proportion to OrderTotal (what the customer paid).
/// </summary>
[GenerateSerializer, Alias("mc.LoyaltyOrderEvent")]
public sealed record LoyaltyOrderEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] LoyaltyOrderEventKind Kind,
    [property: Id(3)] string OrderNumber,
    [property: Id(4)] decimal Amount,
    [property: Id(5)] decimal OrderTotal);

/// <summary>A non-order activity an achievement can count (review approved, course completed, referral converted).</summary>
[GenerateSerializer, Alias("mc.LoyaltyActivity")]
public sealed record LoyaltyActivity(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] string Event);
