using System.Collections.Concurrent;
using MestresCafe.Data.Pricing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Data.Customers;

/// <summary>
/// The group discount a cart shows a signed-in customer, kept in this process for
/// <see cref="PricingOptions.CartPriceMaxAge"/> like the cart's catalog prices
/// (<see cref="RecentCatalogPrices"/>). Every cart change and view asked PostgreSQL (three of a
/// checkout's transactions on the buyer's path); it is a display, and money never depends on it:
/// checkout reads the customer's current groups itself (<see cref="GroupDiscountQuery.CurrentGroupsAsync"/>)
/// and charges that. A membership changed through this server is seen at once (<see cref="Forget"/>);
/// one changed elsewhere, or a group's discount changed, shows in carts within the max age.
/// </summary>
public sealed class RecentGroupDiscounts(GroupDiscountQuery query, TimeProvider clock, IOptions<PricingOptions> options)
{
    // One entry per customer who viewed a cart within the max age; the bound guards memory only.
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<long, (decimal Discount, long At)> _recent = new();

    /// <summary>Drops what is kept for <paramref name="userId"/>, or for everyone when null.</summary>
    public void Forget(long? userId = null)
    {
        if (userId is { } user)
        {
            _recent.TryRemove(user, out _);
        }
        else
        {
            _recent.Clear();
        }
    }

    public async Task<decimal> ForUserAsync(long userId, CancellationToken cancellationToken = default)
    {
        var maxAge = options.Value.CartPriceMaxAge;
        var now = clock.GetTimestamp();
        if (maxAge > TimeSpan.Zero && _recent.TryGetValue(userId, out var kept) && clock.GetElapsedTime(kept.At, now) < maxAge)
        {
            return kept.Discount;
        }

        var discount = await query.ForUserAsync(userId, cancellationToken);
        if (maxAge > TimeSpan.Zero)
        {
            if (_recent.Count >= MaxEntries)
            {
                _recent.Clear();
            }

            _recent[userId] = (discount, now);
        }

        return discount;
    }
}
