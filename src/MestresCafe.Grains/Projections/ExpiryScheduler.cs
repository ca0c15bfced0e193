using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Projections;

/// <summary>
/// Gives back what a grain holds until a deadline (stock reservations, coupon holds) on time,
/// whether the grain is active or not. While it is active a one-shot grain timer, due at the
/// earliest expiry, runs the expiry in the grain's own turn within about a second; a reminder due at
/// the same time (then every minute, the finest period reminders take) wakes an idle or moved
/// grain, whose activation schedules the timer again. The reminder is moved only when something
/// expires sooner than what it waits for, which under a flash sale (later holds expire later) means
/// rarely, not on every hold.
/// </summary>
/// <param name="nextExpiry">The earliest deadline held now; null when nothing is held.</param>
/// <param name="expireDueAsync">Gives back and persists whatever is past its deadline.</param>
public sealed class ExpiryScheduler(
    Grain grain, string reminderName, Func<DateTimeOffset?> nextExpiry, Func<Task> expireDueAsync, TimeProvider clock, ILogger logger)
{
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    // Registrations and removals must not interleave in a reentrant grain: a removal racing a new
    // hold's registration would leave that hold without a wake-up call.
    private readonly SemaphoreSlim _reminderLock = new(1, 1);
    private IGrainTimer? _timer;
    // The earliest deadline as of the last Schedule: computed once per change, since finding it
    // walks every hold (thousands under a flash sale).
    private DateTimeOffset? _next;
    // When the registered reminder next fires; null when none is known to be registered (after a
    // restart, or once a tick is spent).
    private DateTimeOffset? _reminderDue;

    /// <summary>Sets the timer to the earliest deadline; call after every change of what is held.</summary>
    public void Schedule()
    {
        _next = nextExpiry();
        _timer?.Dispose();
        _timer = null;
        if (_next is { } next)
        {
            _timer = grain.RegisterGrainTimer(_ => ExpireAsync(), new GrainTimerCreationOptions(DueIn(next), Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>
    /// Brings the reminder forward to the earliest deadline when it waits for a later one. What is
    /// held is already durable, so a failure is logged: the timer still expires it while the grain
    /// is active, and the next hold or activation tries again.
    /// </summary>
    public async Task EnsureReminderAsync()
    {
        await _reminderLock.WaitAsync();
        try
        {
            if (_next is not { } next || (_reminderDue is { } registered && registered <= next))
            {
                return;
            }

            await grain.RegisterOrUpdateReminder(reminderName, DueIn(next), ReminderPeriod);
            _reminderDue = next;
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Could not register the expiry reminder of {Grain}", grain.GrainContext.GrainId);
        }
        finally
        {
            _reminderLock.Release();
        }
    }

    /// <summary>Handles a tick of this scheduler's reminder (others are ignored): expires what is due, then moves or drops the reminder.</summary>
    public async Task ReceiveReminderAsync(string name)
    {
        if (name != reminderName)
        {
            return;
        }

        await ExpireAsync();
        await _reminderLock.WaitAsync();
        try
        {
            // This tick is spent; the next one is a period away unless registered again.
            _reminderDue = null;
            if (_next is null)
            {
                if (await grain.GetReminder(reminderName) is { } reminder)
                {
                    await grain.UnregisterReminder(reminder);
                }

                return;
            }
        }
        finally
        {
            _reminderLock.Release();
        }

        await EnsureReminderAsync();
    }

    /// <summary>Drops the timer (on deactivation); the reminder stays to wake the next activation.</summary>
    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private async Task ExpireAsync()
    {
        await expireDueAsync();
        Schedule();
    }

    private TimeSpan DueIn(DateTimeOffset deadline)
    {
        var due = deadline - clock.GetUtcNow();
        return due < TimeSpan.Zero ? TimeSpan.Zero : due;
    }
}
