using MestresCafe.Data.Pricing;
using MestresCafe.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Data.Tests.Pricing;

/// <summary>Cart prices (<see cref="RecentCatalogPrices"/>) are at most the max age behind the catalog; checkout's are never.</summary>
public sealed class RecentCatalogPricesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new();
    private TestDatabase _database = null!;
    private CatalogPrices _catalog = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(RecentCatalogPricesTests));
        _catalog = new CatalogPrices(_database.DataSource);
        await _database.InsertItemAsync("RCP-A", 5, price: 10m);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_price_change_shows_in_carts_once_the_max_age_has_passed_and_in_checkout_at_once()
    {
        var recent = Recent(TimeSpan.FromSeconds(5));
        Assert.Equal(10m, (await recent.GetAsync(["RCP-A"]))["RCP-A"].UnitPrice);

        await _database.ExecuteAsync("update products set price = 12, is_active = false where sku = 'RCP-A'");
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(10m, (await recent.GetAsync(["RCP-A"]))["RCP-A"].UnitPrice);
        Assert.Equal((12m, false), Of((await _catalog.GetAsync(["RCP-A"]))["RCP-A"]));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((12m, false), Of((await recent.GetAsync(["RCP-A"]))["RCP-A"]));
    }

    [Fact]
    public async Task A_forgotten_price_is_read_again_at_once()
    {
        var recent = Recent(TimeSpan.FromMinutes(5));
        Assert.Equal(10m, (await recent.GetAsync(["RCP-A"]))["RCP-A"].UnitPrice);
        await _database.ExecuteAsync("update products set price = 13 where sku = 'RCP-A'");

        recent.Forget();

        Assert.Equal(13m, (await recent.GetAsync(["RCP-A"]))["RCP-A"].UnitPrice);
    }

    [Fact]
    public async Task Unknown_items_are_not_remembered_and_a_zero_max_age_always_reads_the_catalog()
    {
        var recent = Recent(TimeSpan.FromSeconds(5));
        Assert.Empty(await recent.GetAsync(["RCP-NEW"]));
        await _database.InsertItemAsync("RCP-NEW", 1, price: 7m);
        Assert.Equal(7m, (await recent.GetAsync(["RCP-NEW"]))["RCP-NEW"].UnitPrice);

        var uncached = Recent(TimeSpan.Zero);
        Assert.Equal(10m, (await uncached.GetAsync(["RCP-A"]))["RCP-A"].UnitPrice);
        await _database.ExecuteAsync("update products set price = 11 where sku = 'RCP-A'");
        Assert.Equal(11m, (await uncached.GetAsync(["RCP-A"]))["RCP-A"].UnitPrice);
    }

    private RecentCatalogPrices Recent(TimeSpan maxAge) =>
        new(_catalog, _clock, Options.Create(new PricingOptions { CartPriceMaxAge = maxAge }));

    private static (decimal, bool) Of(PricedItem item) => (item.UnitPrice, item.IsActive);
}
