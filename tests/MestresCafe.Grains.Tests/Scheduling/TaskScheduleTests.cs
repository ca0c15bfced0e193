using MestresCafe.Grains.Scheduling;

namespace MestresCafe.Grains.Tests.Scheduling;

public sealed class TaskScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 7, 30, TimeSpan.Zero);
    private static readonly SchedulerOptions Options = new() { FirstRetryDelay = TimeSpan.FromMinutes(1), MaxRetryDelay = TimeSpan.FromMinutes(10), MaxRetries = 5 };

    [Fact]
    public void Five_fields_are_minutes_in_utc_and_six_fields_start_with_seconds()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 3, 0, 0, TimeSpan.Zero), TaskSchedule.NextOccurrence("0 3 * * *", Now));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 15, 0, TimeSpan.Zero), TaskSchedule.NextOccurrence("*/15 * * * *", Now));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 7, 45, TimeSpan.Zero), TaskSchedule.NextOccurrence("45 * * * * *", Now));
        Assert.Null(TaskSchedule.NextOccurrence("not a cron", Now));
        Assert.NotNull(TaskSchedule.Check("61 * * * *"));
        Assert.Null(TaskSchedule.Check("0 3 1 * *"));
    }

    [Fact]
    public void A_success_waits_for_the_next_occurrence_and_clears_the_failures()
    {
        Assert.Equal((new DateTimeOffset(2026, 12, 3, 3, 0, 0, TimeSpan.Zero), 0), TaskSchedule.AfterRun("0 3 * * *", Now, succeeded: true, failuresBefore: 3, Options));
    }

    [Fact]
    public void Failures_retry_with_doubling_delays_up_to_the_cap_then_wait_for_the_schedule()
    {
        var delays = Enumerable.Range(0, 5).Select(before => TaskSchedule.AfterRun("0 3 * * *", Now, false, before, Options).Next!.Value - Now).ToList();
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(10)], delays);

        var givenUp = TaskSchedule.AfterRun("0 3 * * *", Now, false, 5, Options);
        Assert.Equal((new DateTimeOffset(2026, 12, 3, 3, 0, 0, TimeSpan.Zero), 6), givenUp);
    }

    [Fact]
    public void A_retry_never_goes_past_the_next_regular_run()
    {
        var (next, failures) = TaskSchedule.AfterRun("*/15 * * * *", Now, false, 3, Options); // 8 minutes would pass 10:15

        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 15, 0, TimeSpan.Zero), next);
        Assert.Equal(4, failures);
    }
}
