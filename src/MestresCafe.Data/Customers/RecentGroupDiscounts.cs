using MestresCafe.Data.Pricing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Data.Customers;

/// <summary>
/// The group discount a cart shows a signed-in customer, kept in this process for
/// <see cref="PricingOptions.CartPriceMaxAge"/> like the cart's catalog prices
/// (<see cref="RecentCatalogPrices"/>). Every cart change and view asked PostgreSQL (three of a
/// checkout's transactions on the buyer's path); it is a display, and money never depends on it:
/// checkout reads the customer's current groups itself (<see cref="CheckoutReads"/>)
/// and charges that. A membership changed through this server is seen at once (<see cref="Forget"/>);
/// one changed elsewhere, or a group's discount changed, shows in carts within the max age.
/// </summary>
public sealed class RecentGroupDiscounts(GroupDiscountQuery query, TimeProvider clock, IOptions<PricingOptions> options)
{
    // One entry per customer who viewed a cart within the max age; the bound guards memory only.
    private readonly RecentValues<long, decimal> _recent = new(clock, maxEntries: 100_000);

    /// <summary>Drops what is kept for <paramref name="userId"/>, or for everyone when null.</summary>
    public void Forget(long? userId = null)
    {
        if (userId is { } user)
        {
            _recent.Forget(user);
        }
        else
        {
            _recent.Clear();
        }
    }

    public async Task<decimal> ForUserAsync(long userId, CancellationToken cancellationToken = default)
    {
        var maxAge = options.Value.CartPriceMaxAge;
        var now = _recent.Now;
        if (_recent.TryGet(userId, maxAge, now, out var kept))
        {
            return kept;
        }

        var discount = await query.ForUserAsync(userId, cancellationToken);
        if (maxAge > TimeSpan.Zero)
        {
            _recent.Keep(userId, discount, now);
        }

        return discount;
    }
}
