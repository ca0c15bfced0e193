namespace MestresCafe.Notifications;

/// <summary>
/// What a customer may choose not to receive. Transactional messages (orders, payments, shipping,
/// refunds and returns, account security, welcome, a back-in-stock alert the customer asked for)
/// always go: they answer something the customer did. The optional categories are opted out of, not
/// into (a customer hears them until they say no), and notification_preferences checks the same list.
/// </summary>
public static class NotificationCategories
{
    public const string Transactional = "transactional";

    /// <summary>Tier changes and rewards issued.</summary>
    public const string Loyalty = "loyalty";

    /// <summary>The request for a review some days after delivery.</summary>
    public const string ReviewRequests = "review_requests";

    public static readonly IReadOnlyList<string> Optional = [Loyalty, ReviewRequests];
}
