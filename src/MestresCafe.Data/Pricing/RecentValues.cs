using System.Collections.Concurrent;

namespace MestresCafe.Data.Pricing;

/// <summary>
/// Values read a moment ago, kept in this process while younger than a max age read at each look-up
/// (a live setting). What <see cref="RecentCatalogPrices"/> and
/// <see cref="Customers.RecentGroupDiscounts"/> share: a display kept briefly, never what money is
/// charged from.
/// </summary>
internal sealed class RecentValues<TKey, TValue>(TimeProvider clock, int maxEntries, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, long At)> _values = new(comparer);

    /// <summary>A timestamp to hand to <see cref="Keep"/> for values read from now on.</summary>
    public long Now => clock.GetTimestamp();

    public bool TryGet(TKey key, TimeSpan maxAge, long now, out TValue value)
    {
        if (maxAge > TimeSpan.Zero && _values.TryGetValue(key, out var kept) && clock.GetElapsedTime(kept.At, now) < maxAge)
        {
            value = kept.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> as read at <paramref name="readAt"/>; the bound only guards memory (all is dropped when reached).</summary>
    public void Keep(TKey key, TValue value, long readAt)
    {
        if (_values.Count >= maxEntries)
        {
            _values.Clear();
        }

        _values[key] = (value, readAt);
    }

    public void Forget(TKey key) => _values.TryRemove(key, out _);

    public void Clear() => _values.Clear();
}
