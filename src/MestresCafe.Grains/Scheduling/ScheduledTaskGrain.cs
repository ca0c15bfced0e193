using System.Diagnostics;
using MestresCafe.Data.Scheduling;
using MestresCafe.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Scheduling;

/// <summary>
/// The owner of one scheduled task (key: its name). A timer looks at the task's row every
/// <see cref="SchedulerOptions.CheckEvery"/> and runs the task when it is due; the row is claimed
/// under its lock by the database's clock, so even two owners for a moment (a membership change)
/// run one occurrence once. Runs never overlap: the grain handles one call or tick at a time, and a
/// run another owner recorded keeps the task for <see cref="SchedulerOptions.RunLease"/>. One
/// reminder per task brings its owner back on another server when its own stops.
/// </summary>
public sealed class ScheduledTaskGrain(
    ScheduledTaskStore store,
    IServiceProvider services,
    IOptions<SchedulerOptions> options,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<ScheduledTaskGrain> logger) : Grain, IScheduledTaskGrain, IRemindable
{
    private const string Reminder = "scheduled-task";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    // The row is read at least this often even when the task is not due, for changes made with SQL.
    private static readonly TimeSpan ReadAtLeastEvery = TimeSpan.FromMinutes(1);
    private SchedulerOptions O => options.Value;
    private string Name => this.GetPrimaryKeyString();
    private DateTimeOffset? _nextRun;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // KeepAlive: the owner lives as long as its server, checking its task.
        this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions(TimeSpan.Zero, O.CheckEvery) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task StartAsync()
    {
        if (await this.GetReminder(Reminder) is null)
        {
            await this.RegisterOrUpdateReminder(Reminder, ReminderPeriod, ReminderPeriod);
        }
    }

    public Task WakeAsync()
    {
        _readAt = DateTimeOffset.MinValue;
        return CheckAsync(CancellationToken.None);
    }

    /// <summary>The reminder only brings the owner back; the timer set at activation checks.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_nextRun is { } next && now < next && now - _readAt < ReadAtLeastEvery)
        {
            return;
        }

        try
        {
            var check = await store.ClaimIfDueAsync(Name, silo.SiloAddress.ToString(), O.RunLease, TaskSchedule.NextOccurrence, cancellationToken);
            _readAt = now;
            _nextRun = check.NextRun;
            if (check.Claim is { } claim)
            {
                await RunAsync(claim);
            }
        }
        catch (Exception error) when (error is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning(error, "Scheduled task {Task}: could not read or record its run; trying again in {CheckEvery}", Name, O.CheckEvery);
        }
    }

    private async Task RunAsync(ScheduledTaskClaim claim)
    {
        var elapsed = Stopwatch.StartNew();
        var rows = 0;
        string? error = null;
        if (services.GetKeyedService<IScheduledTask>(Name) is not { } task)
        {
            error = $"No task class is registered under the name {Name}.";
        }
        else
        {
            using var timeout = new CancellationTokenSource(O.RunTimeout);
            try
            {
                rows = await task.RunOnceAsync(timeout.Token);
            }
            catch (Exception failure)
            {
                error = failure is OperationCanceledException && timeout.IsCancellationRequested
                    ? $"Cancelled after {O.RunTimeout}."
                    : $"{failure.GetType().Name}: {failure.Message}";
                logger.LogWarning(failure, "Scheduled task {Task} failed (attempt {Attempt})", Name, claim.ConsecutiveFailures + 1);
            }
        }

        var (nextRun, failures) = TaskSchedule.AfterRun(claim.Schedule, claim.Now + elapsed.Elapsed, error is null, claim.ConsecutiveFailures, O);
        // Recorded even when the grain is being stopped: the run happened.
        await store.FinishAsync(claim, error is null, rows, error, nextRun, failures, CancellationToken.None);
        _nextRun = nextRun;
    }
}
