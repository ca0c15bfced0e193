using MestresCafe.Data.Customers;
using MestresCafe.Data.Pricing;
using MestresCafe.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MestresCafe.Data.Tests.Customers;

/// <summary>The group discount a cart shows (<see cref="RecentGroupDiscounts"/>) is at most the max age behind the memberships; checkout's read never is.</summary>
public sealed class RecentGroupDiscountsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new();
    private TestDatabase _database = null!;
    private GroupDiscountQuery _query = null!;
    private long _user;
    private long _group;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync(nameof(RecentGroupDiscountsTests));
        _query = new GroupDiscountQuery(_database.DataSource);
        _user = await _database.InsertUserAsync();
        var customer = await _database.ScalarAsync<long>("insert into customers (user_id) values ($1) returning id", _user);
        _group = await _database.ScalarAsync<long>("insert into customer_groups (name, discount_percentage) values ('Cafeterias', 10) returning id");
        await _database.ExecuteAsync($"insert into customer_group_members (customer_id, group_id) values ({customer}, {_group})");
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_discount_change_shows_in_carts_once_the_max_age_has_passed_and_in_checkout_at_once()
    {
        var recent = Recent(TimeSpan.FromSeconds(5));
        Assert.Equal(10m, await recent.ForUserAsync(_user));

        await _database.ExecuteAsync($"update customer_groups set discount_percentage = 15 where id = {_group}");
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(10m, await recent.ForUserAsync(_user));
        Assert.Equal(15m, Assert.Single(await _query.CurrentGroupsAsync(_user)).DiscountPercentage);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(15m, await recent.ForUserAsync(_user));
    }

    [Fact]
    public async Task A_forgotten_discount_is_read_again_at_once_and_a_zero_max_age_keeps_nothing()
    {
        var recent = Recent(TimeSpan.FromSeconds(5));
        var uncached = Recent(TimeSpan.Zero);
        Assert.Equal(await recent.ForUserAsync(_user), await uncached.ForUserAsync(_user));

        await _database.ExecuteAsync($"update customer_groups set discount_percentage = discount_percentage + 1 where id = {_group}");
        var now = await _query.ForUserAsync(_user);
        Assert.Equal(now, await uncached.ForUserAsync(_user));
        Assert.NotEqual(now, await recent.ForUserAsync(_user));
        recent.Forget(_user);
        Assert.Equal(now, await recent.ForUserAsync(_user));
    }

    private RecentGroupDiscounts Recent(TimeSpan maxAge) =>
        new(_query, _clock, Options.Create(new PricingOptions { CartPriceMaxAge = maxAge }));
}
