namespace MestresCafe.Marketing;

/// <summary>
/// One occurrence of a trigger for one customer. <see cref="Key"/> names the occurrence (this cart's
/// abandonment, that order's delivery, this year's birthday), so the engine starts exactly one
/// execution per automation, customer and key however often and on however many servers it looks.
/// <see cref="OccurredAt"/> is the moment from which the customer's orders answer it (an order
/// after the cart's last change bought that cart; one after the last order ends an inactivity).
/// </summary>
public sealed record TriggerOccurrence(long CustomerId, string Key, DateTimeOffset OccurredAt);

/// <summary>
/// Whether what a customer did (or did not do) is an occurrence of a trigger, and which one. The
/// engine's queries bring the facts; these rules decide. An occurrence counts only from the
/// automation's activation on (seeding an automation does not mail the whole history) and only
/// within <see cref="Lookback"/> of now (a server down for a day catches up, older events do not fire).
/// </summary>
public static class AutomationTriggerRules
{
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(7);

    /// <summary>A cart with items worth at least the minimum, unchanged for the idle hours.</summary>
    public static TriggerOccurrence? CartAbandoned(
        TriggerConditions conditions, long customerId, DateTimeOffset lastChange, int items, decimal value, DateTimeOffset activeSince, DateTimeOffset now)
    {
        if (items <= 0 || value < conditions.MinCartValue || conditions.IdleHours is not { } hours)
        {
            return null;
        }

        var abandonedAt = lastChange + TimeSpan.FromHours(hours);
        // The key is the cart's last change: a cart changed again and left again is a new abandonment.
        return Recent(abandonedAt, activeSince, now) ? new(customerId, $"cart:{lastChange.ToUnixTimeMilliseconds()}", lastChange) : null;
    }

    public static TriggerOccurrence? SignedUp(long customerId, DateTimeOffset createdAt, DateTimeOffset activeSince, DateTimeOffset now) =>
        Recent(createdAt, activeSince, now) ? new(customerId, "signup", createdAt) : null;

    public static TriggerOccurrence? FirstOrderPaid(long customerId, string orderNumber, DateTimeOffset paidAt, DateTimeOffset activeSince, DateTimeOffset now) =>
        Recent(paidAt, activeSince, now) ? new(customerId, $"first_order:{orderNumber}", paidAt) : null;

    public static TriggerOccurrence? OrderDelivered(
        TriggerConditions conditions, long customerId, string orderNumber, DateTimeOffset deliveredAt, DateTimeOffset activeSince, DateTimeOffset now)
    {
        var at = deliveredAt + TimeSpan.FromDays(conditions.Days ?? 0);
        return Recent(at, activeSince, now) ? new(customerId, $"delivered:{orderNumber}", at) : null;
    }

    /// <summary>No order since <paramref name="lastOrderAt"/> for the days: once per last order (a new order starts a new count).</summary>
    public static TriggerOccurrence? Inactive(
        TriggerConditions conditions, long customerId, string lastOrderNumber, DateTimeOffset lastOrderAt, DateTimeOffset activeSince, DateTimeOffset now)
    {
        var at = lastOrderAt + TimeSpan.FromDays(conditions.Days ?? 0);
        return Recent(at, activeSince, now) ? new(customerId, $"inactive_since:{lastOrderNumber}", lastOrderAt) : null;
    }

    /// <summary>
    /// The customer's birthday is <paramref name="today"/> (the store's date) plus the condition's
    /// days before; 29 February is kept on the 28th in other years. The key is the birthday's year, so
    /// a greeting days ahead of a 1 January birthday is still that year's one.
    /// </summary>
    public static TriggerOccurrence? Birthday(TriggerConditions conditions, long customerId, DateOnly birthDate, DateOnly today, DateTimeOffset now)
    {
        var birthday = today.AddDays(conditions.DaysBefore ?? 0);
        var day = birthDate.Month == 2 && birthDate.Day == 29 && !DateTime.IsLeapYear(birthday.Year) ? 28 : birthDate.Day;
        return birthday.Month == birthDate.Month && birthday.Day == day ? new(customerId, $"birthday:{birthday.Year}", now) : null;
    }

    /// <summary>The customer is at a tier the automation waits for (any, or the one named): once per tier.</summary>
    public static TriggerOccurrence? TierReached(
        TriggerConditions conditions, long customerId, string tier, DateTimeOffset reachedAt, DateTimeOffset activeSince, DateTimeOffset now) =>
        (conditions.Tier is null || string.Equals(conditions.Tier, tier, StringComparison.OrdinalIgnoreCase)) && Recent(reachedAt, activeSince, now)
            ? new(customerId, $"tier:{tier.ToLowerInvariant()}", reachedAt)
            : null;

    /// <summary>A back-in-stock request of the customer's was answered (the product came back).</summary>
    public static TriggerOccurrence? BackInStock(long customerId, Guid requestId, DateTimeOffset notifiedAt, DateTimeOffset activeSince, DateTimeOffset now) =>
        Recent(notifiedAt, activeSince, now) ? new(customerId, $"{BackInStockPrefix}{requestId:N}", notifiedAt) : null;

    /// <summary>The back-in-stock request an occurrence key names; null for any other key.</summary>
    public static Guid? BackInStockRequest(string occurrenceKey) =>
        occurrenceKey.StartsWith(BackInStockPrefix, StringComparison.Ordinal)
        && Guid.TryParseExact(occurrenceKey.AsSpan(BackInStockPrefix.Length), "N", out var id) ? id : null;

    private const string BackInStockPrefix = "back_in_stock:";

    private static bool Recent(DateTimeOffset at, DateTimeOffset activeSince, DateTimeOffset now) =>
        at <= now && at >= activeSince && now - at < Lookback;
}
