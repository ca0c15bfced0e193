using MestresCafe.Cart;
using MestresCafe.Data.Cart;
using MestresCafe.Grains.Projections;

namespace MestresCafe.Grains.Cart;

/// <summary>
/// Rewrites the shopping_cart rows of one cart owner from the newest unprojected version of the
/// cart (<see cref="CartProjectionStore"/>). Only the cart grain calls it, one call at a time, so
/// the table always converges to the grain.
/// </summary>
public sealed class CartProjection(CartProjectionStore store) : IProjection<string, CartState, CartVersion>
{
    /// <remarks>The lines come from the last version of the run, not the state: that version is what the grain records as projected.</remarks>
    public Task ApplyAsync(string cartKey, CartState state, IReadOnlyList<CartVersion> versions, CancellationToken cancellationToken)
    {
        var (userId, sessionId) = Owner(cartKey);
        return store.ReplaceAsync(
            userId, sessionId, versions[^1].Lines.Select(l => new CartLineRow(l.ProductId, l.VariantId, l.Quantity)).ToList(), cancellationToken);
    }

    private static (long? UserId, string? SessionId) Owner(string cartKey) =>
        CartKey.IsVisitor(cartKey)
            ? (null, cartKey[2..])
            : (long.Parse(cartKey[2..], System.Globalization.CultureInfo.InvariantCulture), null);
}
