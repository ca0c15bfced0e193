namespace MestresCafe.Api.Accounts;

/// <summary>The growing lockout interval, as a pure function of the failure count.</summary>
public static class LockoutPolicy
{
    /// <summary>
    /// 0 below the threshold; base at the threshold; doubled at each further multiple of it.
    /// The lock starts at the failure that reached the multiple, so the attempts in between (after
    /// a lock ran out) get their normal answers.
    /// </summary>
    public static TimeSpan DurationFor(long failures, int threshold, TimeSpan baseDuration, TimeSpan maxDuration)
    {
        var level = failures / threshold;
        if (level < 1)
        {
            return TimeSpan.Zero;
        }

        var doublings = (int)Math.Min(level - 1, 30);
        var ticks = baseDuration.Ticks * Math.Pow(2, doublings);
        return ticks >= maxDuration.Ticks ? maxDuration : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>How long until the lock lifts; zero or negative when not locked.</summary>
    public static TimeSpan RemainingLock(long failures, DateTimeOffset levelReachedAt, DateTimeOffset now, int threshold, TimeSpan baseDuration, TimeSpan maxDuration) =>
        levelReachedAt + DurationFor(failures, threshold, baseDuration, maxDuration) - now;
}
