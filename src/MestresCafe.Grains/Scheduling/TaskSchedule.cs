using Cronos;

namespace MestresCafe.Grains.Scheduling;

/// <summary>
/// When a scheduled task runs: its cron expression (five fields, UTC; six with seconds first) and,
/// after a failure, a retry with doubling backoff that never goes past the next regular occurrence.
/// Free of Orleans, so the rules are unit-tested with plain times.
/// </summary>
public static class TaskSchedule
{
    /// <summary>Why <paramref name="expression"/> is not a schedule, or null.</summary>
    public static string? Check(string expression)
    {
        try
        {
            Parse(expression);
            return null;
        }
        catch (CronFormatException error)
        {
            return error.Message;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null for an expression that never occurs again or does not parse.</summary>
    public static DateTimeOffset? NextOccurrence(string expression, DateTimeOffset after)
    {
        try
        {
            return Parse(expression).GetNextOccurrence(after, TimeZoneInfo.Utc);
        }
        catch (CronFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// When the task runs next after a run that ended at <paramref name="now"/>, and its count of
    /// failures in a row: the next occurrence after a success; after a failure, a retry
    /// <see cref="SchedulerOptions.FirstRetryDelay"/> later, doubling with each failure up to
    /// <see cref="SchedulerOptions.MaxRetryDelay"/>, at most <see cref="SchedulerOptions.MaxRetries"/>
    /// times, and never later than the next occurrence.
    /// </summary>
    public static (DateTimeOffset? Next, int Failures) AfterRun(string expression, DateTimeOffset now, bool succeeded, int failuresBefore, SchedulerOptions options)
    {
        var regular = NextOccurrence(expression, now);
        if (succeeded)
        {
            return (regular, 0);
        }

        var failures = failuresBefore + 1;
        if (failures > options.MaxRetries)
        {
            return (regular, failures);
        }

        var delay = TimeSpan.FromTicks(Math.Min(options.FirstRetryDelay.Ticks * (1L << Math.Min(failures - 1, 30)), options.MaxRetryDelay.Ticks));
        var retry = now + delay;
        return (regular is { } next && next < retry ? next : retry, failures);
    }

    private static CronExpression Parse(string expression) =>
        CronExpression.Parse(expression, expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
}
