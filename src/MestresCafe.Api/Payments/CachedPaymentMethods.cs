using MestresCafe.Api.Catalog.Caching;
using MestresCafe.Data.Payments;
using MestresCafe.Payments;

namespace MestresCafe.Api.Payments;

/// <summary>
/// The payment methods through the catalog's multi-level cache (memory, Redis, PostgreSQL), under a
/// tag of their own: every checkout and every payment-options view reads them, and they change a
/// few times a year. A back-office change removes the tag after its commit, and the Redis backplane
/// carries the removal to every server's memory before the change is acknowledged.
/// </summary>
public sealed class CachedPaymentMethods(CatalogCache cache, PaymentMethodStore store) : IPaymentMethodSource
{
    public const string Tag = "payment-methods";
    private const string Key = "payment-methods:all";

    public async Task<IReadOnlyList<PaymentMethodSettings>> GetAsync(CancellationToken cancellationToken = default) =>
        await cache.GetOrCreateAsync<List<PaymentMethodSettings>>(
            Key, async token => [.. await store.GetAsync(token)], cancellationToken, Tag);

    /// <summary>Called after a committed change: every server reads the methods again.</summary>
    public Task InvalidateAsync() => cache.InvalidateTagAsync(Tag, CancellationToken.None);
}
