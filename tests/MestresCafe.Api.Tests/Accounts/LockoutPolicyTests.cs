using MestresCafe.Api.Accounts;

namespace MestresCafe.Api.Tests.Accounts;

public sealed class LockoutPolicyTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(9, 1)]
    [InlineData(10, 2)]
    [InlineData(15, 4)]
    [InlineData(25, 16)]
    public void The_lock_doubles_at_each_multiple_of_the_threshold(int failures, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), LockoutPolicy.DurationFor(failures, 5, Minute, Day));
    }

    [Fact]
    public void The_lock_never_exceeds_the_maximum()
    {
        Assert.Equal(Day, LockoutPolicy.DurationFor(5 * 40, 5, Minute, Day));
        Assert.Equal(Day, LockoutPolicy.DurationFor(long.MaxValue, 5, Minute, Day));
    }

    [Fact]
    public void The_remaining_lock_counts_from_the_failure_that_reached_the_threshold()
    {
        var reached = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(40), LockoutPolicy.RemainingLock(5, reached, reached.AddSeconds(20), 5, Minute, Day));
        Assert.True(LockoutPolicy.RemainingLock(5, reached, reached.AddSeconds(61), 5, Minute, Day) < TimeSpan.Zero);
    }
}
