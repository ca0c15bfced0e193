using MestresCafe.LoadTest.Scenarios;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MestresCafe.LoadTest.Tests;

/// <summary>The open-loop schedule's arithmetic, driven by a fake clock: no cluster, no sleeping.</summary>
public sealed class OpenLoopScheduleTests
{
    [Fact]
    public void Requests_are_due_at_fixed_intervals_whatever_the_answers()
    {
        var schedule = new OpenLoopSchedule(ratePerSecond: 200, TimeSpan.FromSeconds(2), maxRequests: long.MaxValue);

        Assert.Equal(400, schedule.Due);
        Assert.Equal(TimeSpan.Zero, schedule.DueAt(0));
        Assert.Equal(TimeSpan.FromMilliseconds(5), schedule.DueAt(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1995), schedule.DueAt(399));
    }

    [Fact]
    public void A_worker_early_for_its_request_waits_for_the_due_time_and_is_not_late()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetTimestamp();
        var schedule = new OpenLoopSchedule(ratePerSecond: 100, TimeSpan.FromSeconds(1), long.MaxValue);
        Assert.True(schedule.TryTake(out var first));
        Assert.True(schedule.TryTake(out var second));

        clock.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(TimeSpan.Zero, schedule.WaitFor(first, clock.GetElapsedTime(start)));
        Assert.Equal(TimeSpan.FromMilliseconds(6), schedule.WaitFor(second, clock.GetElapsedTime(start)));
        schedule.Started(first, clock.GetElapsedTime(start));
        clock.Advance(TimeSpan.FromMilliseconds(6));
        schedule.Started(second, clock.GetElapsedTime(start));

        Assert.Equal(new OpenLoopSummary(100, 100, 2, 0, 98), schedule.Summarize());
    }

    [Fact]
    public void A_client_that_falls_behind_counts_late_starts_and_dropped_requests()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetTimestamp();
        var schedule = new OpenLoopSchedule(ratePerSecond: 10, TimeSpan.FromSeconds(1), long.MaxValue);

        // One worker, answered in 250 ms each time: request i starts when the previous one ended.
        while (schedule.TryTake(out var index) && clock.GetElapsedTime(start) < TimeSpan.FromSeconds(1))
        {
            clock.Advance(schedule.WaitFor(index, clock.GetElapsedTime(start)));
            schedule.Started(index, clock.GetElapsedTime(start));
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }

        // Started at 0, 250, 500 and 750 ms (due 0, 100, 200, 300): three late, six never started.
        Assert.Equal(new OpenLoopSummary(10, 10, 4, 3, 6), schedule.Summarize());
    }

    [Fact]
    public void The_count_bound_caps_the_requests_due()
    {
        var schedule = new OpenLoopSchedule(ratePerSecond: 1000, TimeSpan.FromSeconds(10), maxRequests: 5);
        var taken = 0;
        while (schedule.TryTake(out _))
        {
            taken++;
        }

        Assert.Equal(5, taken);
        Assert.Equal(5, schedule.Due);
    }
}
