using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Loyalty;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;

namespace MestresCafe.Grains.Tests.Loyalty;

/// <summary>
/// An idle account wakes up by itself: its check reminder (every 2 s here instead of daily) expires
/// points and drops the tier once the controlled clock has moved past them, with nobody calling it.
/// </summary>
public sealed class LoyaltyReminderTests : IAsyncLifetime
{
    private readonly SiloFakeClock _clock = new(DateTimeOffset.UtcNow);
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(nameof(LoyaltyReminderTests), silos: 1,
            settings: new Dictionary<string, string?> { ["Loyalty:CheckEvery"] = "00:00:02" },
            configure: silo =>
            {
                silo.Services.AddSingleton<TimeProvider>(_clock);
                silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            });
        await LoyaltySeed.InsertProgramAsync(_cluster.Database);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_idle_account_expires_its_points_and_drops_its_tier_without_being_called()
    {
        var userId = await _cluster.Database.InsertUserAsync();
        var account = _cluster.Client.GetGrain<ILoyaltyAccountGrain>(userId);
        var earned = await account.ApplyOrderEventAsync(
            new(Guid.NewGuid(), _clock.GetUtcNow(), LoyaltyOrderEventKind.Paid, "MC-IDLE-1", 1200m, 1200m));
        Assert.Equal((1200, "Prata"), (earned.Balance, earned.Tier));
        Assert.True(await Eventually.TrueAsync(async () => await ProjectedAsync(userId) == "1200:Prata", TimeSpan.FromSeconds(10)));
        Assert.Equal(1L, await CheckRemindersAsync());

        // A check before the clock moves changes nothing (a read runs the same refresh as the
        // reminder; LoyaltyLedgerTests pins the expiry to the second).
        var unchanged = await account.GetAsync();
        Assert.Equal((1200, "Prata"), (unchanged.Balance, unchanged.Tier));

        await _cluster.Cluster.DeactivateAsync(account);
        _clock.Advance(TimeSpan.FromDays(25 * 31)); // past the 24-month expiry and the 12-month tier window

        Assert.True(await Eventually.TrueAsync(async () => await ProjectedAsync(userId) == "0:Bronze", TimeSpan.FromSeconds(30)),
            $"the idle account was not refreshed: {await ProjectedAsync(userId)}");
        Assert.Equal(-1200, await _cluster.Database.ScalarAsync<int>(
            "select t.points_change from loyalty_transactions t join customer_loyalty cl on cl.id = t.customer_loyalty_id join customers c on c.id = cl.customer_id where c.user_id = $1 and t.transaction_type = 'expire'",
            userId));
        Assert.Equal(1L, await _cluster.Database.ScalarAsync<long>(
            "select count(*) from notifications where user_id = $1 and type = 'loyalty' and data->>'to' = 'Bronze'", userId));

        // Nothing is left that time can change: the reminder goes away.
        Assert.True(await Eventually.TrueAsync(async () => await CheckRemindersAsync() == 0, TimeSpan.FromSeconds(10)),
            "the check reminder of an account with nothing time-bound was kept");
    }

    // This class's database holds one account.
    private Task<long> CheckRemindersAsync() =>
        _cluster.Database.ScalarAsync<long>("select count(*) from orleansreminderstable where remindername = 'loyalty-check'");

    private Task<string> ProjectedAsync(long userId) => _cluster.Database.ScalarAsync<string>(
        "select coalesce((select cl.points_balance || ':' || cl.tier_level from customer_loyalty cl join customers c on c.id = cl.customer_id where c.user_id = $1), '')",
        userId);
}

/// <summary>
/// The silo's clock: the date is the test's (<see cref="FakeTimeProvider"/>), but timers and
/// timestamps stay real, because Orleans drives its own reminders, timers and timeouts from the
/// same TimeProvider and would stop with a frozen one.
/// </summary>
internal sealed class SiloFakeClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    public override long TimestampFrequency => System.TimestampFrequency;

    public override long GetTimestamp() => System.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}
