using MestresCafe.Data.Orders;
using MestresCafe.Grains.Projections;
using MestresCafe.Orders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace MestresCafe.Grains.Orders;

/// <summary>
/// Wakes the orders that may have work due while no server holds them, in place of a reminder per
/// order (a PostgreSQL write on every checkout's critical path). Each sweep wakes every order whose
/// state was written since the sweeper's mark, which is how an order whose server died before its
/// projection or loyalty delivery is found (its activation applies its outbox again), and every
/// unpaid order past its window as the read side shows it (the order expires itself). Waking an
/// active order costs a call and changes nothing, so a second sweeper during a membership change
/// only repeats calls. A timer runs the sweeps while the grain is active; its one reminder brings it
/// back on another server within about a minute when its server dies.
/// </summary>
public sealed class OrderSweeperGrain(
    [PersistentState("order-sweeper", StorageNames.Store)] IPersistentState<OrderSweeperState> state,
    DueOrderQuery query,
    IOptions<OrderSweepOptions> options,
    IOptions<ClusterOptions> cluster,
    TimeProvider clock,
    ILogger<OrderSweeperGrain> logger) : Grain, IOrderSweeperGrain, IRemindable
{
    private const string Reminder = "order-sweeper";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private const int MaxRoundsPerSweep = 10;
    private OrderSweepOptions O => options.Value;
    // Where the next sweep starts. Stored only by a sweep that woke written orders: an idle store
    // (or a test counting grain states) sees no write, and a sweeper that comes back after a crash
    // starts from the stored mark, which at worst wakes a few orders twice.
    private DateTimeOffset? _mark;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _mark = state.State.WrittenSince;
        // KeepAlive: the sweeper must not be collected as idle; it lives as long as its server.
        this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions(TimeSpan.Zero, O.Period) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task StartAsync()
    {
        if (await this.GetReminder(Reminder) is null)
        {
            await this.RegisterOrUpdateReminder(Reminder, ReminderPeriod, ReminderPeriod);
        }
    }

    /// <summary>The reminder only brings the grain back; the timer set at activation sweeps.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A full batch means a backlog (a burst, or a sweeper that was away): the rest follows
            // at once rather than a period later, up to a bound that keeps one timer turn short.
            for (var round = 0; round < MaxRoundsPerSweep && await SweepBatchAsync(cancellationToken); round++)
            {
            }
        }
        catch (Exception error)
        {
            // The mark did not move (or is not stored yet): the next sweep looks at these orders again.
            logger.LogWarning(error, "Order sweep failed; retrying in {Period}", O.Period);
        }
    }

    /// <returns>Whether the batch of written orders was full, so that more may be waiting.</returns>
    private async Task<bool> SweepBatchAsync(CancellationToken cancellationToken)
    {
        var since = _mark ?? clock.GetUtcNow() - O.FirstLookBack;
        var due = await query.FindAsync(cluster.Value.ServiceId, since, O.Settle, O.BatchSize, cancellationToken);
        var failed = await WakeAsync(due.Written.Select(w => w.OrderNumber).Concat(due.PastDue).Distinct());
        _mark = NextMark(due, failed);
        if (due.Written.Count > 0 && _mark != state.State.WrittenSince)
        {
            state.State.WrittenSince = _mark;
            await state.WriteOrDeactivateAsync(DeactivateOnIdle);
        }

        return due.Written.Count >= O.BatchSize && failed.Count == 0;
    }

    /// <summary>
    /// The mark never passes an order that could not be woken (it is tried again next sweep), nor the
    /// last row of a full batch (the rest of the backlog comes next; rows written in the same instant
    /// are woken twice, which is harmless).
    /// </summary>
    private DateTimeOffset NextMark(DueOrders due, IReadOnlySet<string> failed) =>
        due.Written.FirstOrDefault(w => failed.Contains(w.OrderNumber)) is { } firstFailed ? firstFailed.WrittenAt
        : due.Written.Count >= O.BatchSize ? due.Written[^1].WrittenAt
        : due.WrittenUntil;

    private async Task<IReadOnlySet<string>> WakeAsync(IEnumerable<string> orderNumbers)
    {
        var failed = new HashSet<string>();
        foreach (var chunk in orderNumbers.Chunk(O.Parallelism))
        {
            var woken = await Task.WhenAll(chunk.Select(async number =>
            {
                try
                {
                    await GrainFactory.GetGrain<IOrderGrain>(number).WakeAsync();
                    return (number, ok: true);
                }
                catch (Exception error)
                {
                    logger.LogWarning(error, "Order {Order} could not be woken; the next sweep tries again", number);
                    return (number, ok: false);
                }
            }));
            failed.UnionWith(woken.Where(w => !w.ok).Select(w => w.number));
        }

        return failed;
    }
}

[GenerateSerializer, Alias("mc.OrderSweeperState")]
public sealed class OrderSweeperState
{
    /// <summary>Order states written before this instant were all woken once (database clock).</summary>
    [Id(0)] public DateTimeOffset? WrittenSince { get; set; }
}
