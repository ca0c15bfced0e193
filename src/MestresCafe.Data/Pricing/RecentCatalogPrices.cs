using Microsoft.Extensions.Options;

namespace MestresCafe.Data.Pricing;

/// <summary>Section <c>Pricing</c>.</summary>
public sealed class PricingOptions
{
    public const string Section = "Pricing";

    /// <summary>
    /// How old a price shown in a cart (and checked when a line goes in) may be; zero reads the
    /// catalog every time. Checkout always prices from the catalog itself.
    /// </summary>
    public TimeSpan CartPriceMaxAge { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Catalog prices for filling and showing carts, kept in this process for
/// <see cref="PricingOptions.CartPriceMaxAge"/>. Every cart change and every cart view priced its
/// lines with a PostgreSQL query (two per item added, 5 of a checkout's transactions on the
/// buyer's path); a cart's prices are a display, so a price or an activation changed in the back
/// office shows in carts within the max age, and money never depends on it: checkout prices every
/// line again from <see cref="CatalogPrices"/> and charges that. The server that makes a catalog
/// change forgets its prices at once (<see cref="Forget"/>); the others within the max age.
/// </summary>
public sealed class RecentCatalogPrices(CatalogPrices catalog, TimeProvider clock, IOptions<PricingOptions> options)
{
    // Only items that exist are kept (a miss for an unknown sku asks again), so the size is bounded
    // by the catalog; the bound below only guards against a catalog far larger than a cart's reach.
    private readonly RecentValues<string, PricedItem> _recent = new(clock, maxEntries: 50_000, StringComparer.Ordinal);

    /// <summary>Drops every kept price: the next cart change or view reads the catalog.</summary>
    public void Forget() => _recent.Clear();

    public async Task<IReadOnlyDictionary<string, PricedItem>> GetAsync(IEnumerable<string> skus, CancellationToken cancellationToken = default)
    {
        var maxAge = options.Value.CartPriceMaxAge;
        var wanted = skus.Distinct(StringComparer.Ordinal).ToList();
        if (maxAge <= TimeSpan.Zero)
        {
            return await catalog.GetAsync(wanted, cancellationToken);
        }

        var now = _recent.Now;
        var found = new Dictionary<string, PricedItem>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var sku in wanted)
        {
            if (_recent.TryGet(sku, maxAge, now, out var item))
            {
                found[sku] = item;
            }
            else
            {
                missing.Add(sku);
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        foreach (var (sku, item) in await catalog.GetAsync(missing, cancellationToken))
        {
            _recent.Keep(sku, item, now);
            found[sku] = item;
        }

        return found;
    }
}
