namespace MestresCafe.Api.Marketing;

/// <summary>
/// The seam for the one-click unsubscribe link a marketing e-mail carries (data field
/// <c>unsubscribe_url</c>). The newsletter work registers the signed-link implementation in its
/// place; until then there is no link and the automation templates point to the account's privacy
/// settings, where the customer withdraws consent (which stops every automation).
/// </summary>
public interface IMarketingUnsubscribeLinks
{
    /// <summary>The absolute unsubscribe link for the user, or null when none can be made.</summary>
    string? For(long userId);
}

/// <summary>No unsubscribe link yet (see <see cref="IMarketingUnsubscribeLinks"/>).</summary>
internal sealed class NoMarketingUnsubscribeLinks : IMarketingUnsubscribeLinks
{
    public string? For(long userId) => null;
}

/// <summary>The newsletter's signed unsubscribe page for the customer's account ("u{id}", no campaign).</summary>
internal sealed class SignedMarketingUnsubscribeLinks(MarketingLinks links) : IMarketingUnsubscribeLinks
{
    public string? For(long userId) =>
        links.UnsubscribePageUrl(links.SubscriberToken("u" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture), recipientId: null));
}
