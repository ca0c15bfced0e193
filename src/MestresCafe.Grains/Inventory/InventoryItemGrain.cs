using MestresCafe.Grains.Projections;
using MestresCafe.Inventory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace MestresCafe.Grains.Inventory;

/// <summary>
/// Serializes every stock change of one item. Calls interleave only at the state write: each
/// change is applied in a turn of its own, then waits for a write that contains it (group commit),
/// so a hot item is not capped at one PostgreSQL commit per reservation. A call is acknowledged
/// only after that write committed; when a write fails the activation is dropped so that the next
/// call starts again from what PostgreSQL holds.
/// </summary>
/// <remarks>
/// The state is stored log-structured, all through the ADO.NET grain storage: the full state (the
/// snapshot, state name <c>inventory</c>) plus a ring of log records (<see cref="InventoryLog"/>).
/// A batch writes one log record holding only its own movements, so its cost follows the batch,
/// not the thousands of live reservations a flash sale leaves in the state; every
/// <see cref="InventoryOptions.SnapshotEvery"/> records the snapshot is written as well, after the
/// record, so that the ring never has to hold more than it can. Activation reads the snapshot and
/// replays the records that follow it. Writing the whole state per batch was measured to be what
/// bounded a hot item (see docs/BENCHMARKS.md, "Hot SKU reservations").
/// </remarks>
[Reentrant]
public sealed class InventoryItemGrain(
    [PersistentState("inventory", StorageNames.Store)] IPersistentState<InventoryItemState> state,
    InventoryProjection projection,
    IOptions<InventoryOptions> options,
    Orleans.Serialization.DeepCopier<InventoryItemState> copier,
    TimeProvider clock,
    ILogger<InventoryItemGrain> logger) : Grain, IInventoryItemGrain, IRemindable
{
    private const string ExpiryReminder = "reservation-expiry";
    private InventoryItemState _working = null!;
    private InventoryLedger _ledger = null!;
    private InventoryLog _log = null!;
    /// <summary>Sequence number and id of the last log record prepared or replayed.</summary>
    private long _logSequence;
    private Guid _logRecordId;
    private GroupCommit _commit = null!;
    private OutboxPump<InventoryMovement> _pump = null!;
    /// <summary>
    /// The counters as of the last write that is durable together with every write before it: all
    /// the projection may show. The working state runs ahead of it while writes are in flight, and
    /// a write in flight can still fail (a duplicate activation fenced it, the silo died).
    /// </summary>
    private InventoryItemState _durable = null!;
    private ExpiryScheduler _expiry = null!;
    private string _sku = "";
    private string _location = "";
    private Task? _bootstrap;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_sku, _location) = InventoryKey.Parse(this.GetPrimaryKeyString());
        _working = copier.Copy(state.State);
        _ledger = new InventoryLedger(_working, clock, options.Value.CommittedRetention);
        _log = new InventoryLog(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Store), this.GetGrainId());
        _logSequence = _working.LogSequence;
        _logRecordId = _working.LogRecordId;
        foreach (var record in await _log.ReadAfterAsync(_working.LogSequence, _working.LogRecordId))
        {
            _ledger.Replay(record.Movements);
            _logSequence = record.Sequence;
            _logRecordId = record.Id;
        }

        _ledger.DateUndatedCommits(clock.GetUtcNow());
        _commit = new GroupCommit(PrepareWrite, DeactivateOnIdle, options.Value.GroupCommit, logger, WritesInFlight);
        _pump = new OutboxPump<InventoryMovement>(
            this, Outbox.For(projection, _sku, () => _durable, DurableMovements, applied => _working.Outbox.RemoveRange(0, applied.Count)), logger);
        _expiry = new ExpiryScheduler(this, ExpiryReminder, _ledger.NextExpiry, ExpireDueAsync, clock, logger);

        _durable = Figures();
        await TryBootstrapAsync(cancellationToken);

        _expiry.Schedule();
        // What the reminder was set to is not known after a restart: set it again.
        await _expiry.EnsureReminderAsync();

        if (_working.Outbox.Count > 0)
        {
            _pump.Schedule();
        }
    }

    public Task<InventorySnapshot?> GetAsync() =>
        Task.FromResult(_working.Initialized ? _ledger.Snapshot(_sku, _location) : null);

    public Task<ReservationResult> ReserveAsync(Guid reservationId, int quantity, DateTimeOffset expiresAt) =>
        ReserveAsync(reservationId, quantity, expiresAt, null);

    public Task<ReservationResult> ReserveForCustomerAsync(Guid reservationId, int quantity, DateTimeOffset expiresAt, CustomerHoldLimit limit) =>
        ReserveAsync(reservationId, quantity, expiresAt, limit);

    private async Task<ReservationResult> ReserveAsync(Guid reservationId, int quantity, DateTimeOffset expiresAt, CustomerHoldLimit? limit)
    {
        _commit.ThrowIfFailed();
        if (!_working.Initialized)
        {
            return new ReservationResult(ReservationOutcome.UnknownItem, 0);
        }

        var versionBefore = _working.Version;
        var result = _ledger.Reserve(reservationId, quantity, expiresAt, limit);
        if (_working.Version != versionBefore)
        {
            _expiry.Schedule();
            await PersistAsync();
            await _expiry.EnsureReminderAsync();
        }
        else if (result.Succeeded)
        {
            // A retried reservation: acknowledge only once its first write is durable.
            await _commit.CommitAsync();
        }

        InventoryMetrics.Record(result, quantity);
        return result;
    }

    public Task<ReservationState> GetReservationAsync(Guid reservationId) => Task.FromResult(
        _working.Reservations.ContainsKey(reservationId) ? ReservationState.Active
        : _working.Committed.ContainsKey(reservationId) ? ReservationState.Committed
        : ReservationState.None);

    public async Task ReleaseAsync(Guid reservationId)
    {
        _commit.ThrowIfFailed();
        if (_ledger.Release(reservationId))
        {
            await PersistAsync();
        }
    }

    public async Task<CommitResult> CommitAsync(Guid reservationId)
    {
        _commit.ThrowIfFailed();
        var result = _ledger.Commit(reservationId);
        if (result.Outcome != CommitOutcome.UnknownReservation)
        {
            await PersistAsync();
        }

        return result;
    }

    public Task<InventorySnapshot?> RestockAsync(int quantity, string reason, string? notes = null, long? userId = null, Guid? operationId = null) =>
        ApplyOnceAsync(() => _ledger.Restock(quantity, reason, notes, userId, operationId));

    public Task<InventorySnapshot?> ReceiveAsync(StockReceipt receipt) => ApplyOnceAsync(() => _ledger.Receive(receipt));

    public async Task<AdjustmentResult> WithdrawAsync(StockWithdrawal withdrawal)
    {
        _commit.ThrowIfFailed();
        if (!await EnsureBootstrappedAsync())
        {
            return new AdjustmentResult(AdjustmentOutcome.UnknownItem, null);
        }

        var (changed, outcome) = _ledger.Withdraw(withdrawal);
        if (changed)
        {
            await PersistAsync();
        }
        else if (outcome == AdjustmentOutcome.Adjusted)
        {
            // Withdrawn before: acknowledge only once the write holding it is durable.
            await _commit.CommitAsync();
        }

        return new AdjustmentResult(outcome, _ledger.Snapshot(_sku, _location));
    }

    public async Task<InventorySnapshot?> SetReorderLevelsAsync(int reorderPoint, int reorderQuantity, long? userId)
    {
        _commit.ThrowIfFailed();
        if (!await EnsureBootstrappedAsync())
        {
            return null;
        }

        if (_ledger.SetReorderLevels(reorderPoint, reorderQuantity, userId))
        {
            await PersistAsync();
        }

        return _ledger.Snapshot(_sku, _location);
    }

    /// <summary>An idempotent stock change: persisted when <paramref name="change"/> applied it, acknowledged once durable either way.</summary>
    private async Task<InventorySnapshot?> ApplyOnceAsync(Func<bool> change)
    {
        _commit.ThrowIfFailed();
        if (!await EnsureBootstrappedAsync())
        {
            return null;
        }

        if (change())
        {
            await PersistAsync();
        }
        else
        {
            // Already applied: acknowledge only once the write holding it is durable.
            await _commit.CommitAsync();
        }

        return _ledger.Snapshot(_sku, _location);
    }

    /// <summary>
    /// Starts the ledger from the item's inventory row when there is one. Bootstrapping makes no
    /// movement to log: it is stored as the first snapshot, and applied to the working state only
    /// once that write committed, so no other turn sees an item that is not durable yet.
    /// </summary>
    private async Task TryBootstrapAsync(CancellationToken cancellationToken)
    {
        if (_working.Initialized || await projection.LoadAsync(_sku, _location, cancellationToken) is not { } row || _working.Initialized)
        {
            return;
        }

        var first = copier.Copy(_working);
        new InventoryLedger(first, clock).Bootstrap(row);
        // The first snapshot heads the log's chain: the first record names it.
        first.LogRecordId = Guid.NewGuid();
        state.State = first;
        await state.WriteStateAsync();
        _ledger.Bootstrap(row);
        _working.LogRecordId = _logRecordId = first.LogRecordId;
        _durable = Figures();
    }

    /// <summary>
    /// The back office's writes look for the inventory row again when this activation found none:
    /// the catalog creates it with a new item, possibly after someone asked for the SKU. Concurrent
    /// calls share one look-up. Reservations do not look again (the storefront's hot path).
    /// </summary>
    private async Task<bool> EnsureBootstrappedAsync()
    {
        if (!_working.Initialized)
        {
            _bootstrap ??= TryBootstrapAsync(CancellationToken.None);
            try
            {
                await _bootstrap;
            }
            finally
            {
                _bootstrap = null;
            }
        }

        return _working.Initialized;
    }

    public async Task<AdjustmentResult> AdjustAsync(StockAdjustment adjustment)
    {
        _commit.ThrowIfFailed();
        if (!await EnsureBootstrappedAsync())
        {
            return new AdjustmentResult(AdjustmentOutcome.UnknownItem, null);
        }

        var outcome = _ledger.Adjust(adjustment.QuantityChange, adjustment.Reason, adjustment.Notes, adjustment.UserId);
        if (outcome == AdjustmentOutcome.Adjusted)
        {
            await PersistAsync();
        }

        return new AdjustmentResult(outcome, _ledger.Snapshot(_sku, _location));
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => _expiry.ReceiveReminderAsync(reminderName);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _expiry.Stop();
        // The outbox yields only durable movements: those of writes that committed before a failed
        // one (which deactivates the item) are projected now, not whenever the item is next called.
        await _pump.FlushAsync(cancellationToken);
    }

    private int WritesInFlight => Math.Clamp(options.Value.WritesInFlight, 1, InventoryLog.RingSize / 2);

    /// <summary>
    /// Runs synchronously at the start of each write: the batch's movements become the next log
    /// record, chained to the one before, and every few records a copy of the state becomes the
    /// next snapshot. The record is written first: it is the write that fences a duplicate
    /// activation (see <see cref="InventoryLog"/>). A snapshot holds the earlier records' movements,
    /// so it is stored only once they are durable; snapshots are at most RingSize + 1 -
    /// WritesInFlight records apart, so that a record in flight never reuses the slot of a record
    /// that the last durable snapshot still needs.
    /// </summary>
    private Func<Task<bool>, Task> PrepareWrite()
    {
        var record = new InventoryLogRecord
        {
            Sequence = ++_logSequence,
            Id = Guid.NewGuid(),
            PreviousId = _logRecordId,
            Movements = _ledger.TakeUnlogged(),
        };
        _logRecordId = record.Id;
        // What the projection may show once this record and every one before it are stored.
        var figures = Figures();
        var snapshotEvery = Math.Clamp(options.Value.SnapshotEvery, 1, InventoryLog.RingSize + 1 - WritesInFlight);
        if (record.Sequence - _working.LogSequence < snapshotEvery)
        {
            return async earlier =>
            {
                await _log.AppendAsync(record);
                if (await earlier)
                {
                    MarkDurable(figures);
                }
            };
        }

        _working.LogSequence = record.Sequence;
        _working.LogRecordId = record.Id;
        var snapshot = copier.Copy(_working);
        return async earlier =>
        {
            await _log.AppendAsync(record);
            if (!await earlier)
            {
                throw new InvalidOperationException("an earlier log record was not stored; the snapshot is not written");
            }

            MarkDurable(figures);
            // No other snapshot write is in flight here: each waits for every earlier write.
            state.State = snapshot;
            await state.WriteStateAsync();
        };
    }

    /// <summary>Writes become durable in order, but their continuations may run out of it: never step back.</summary>
    private void MarkDurable(InventoryItemState figures)
    {
        if (figures.Version > _durable.Version)
        {
            _durable = figures;
        }
    }

    /// <summary>The outbox's head up to the durable version (the outbox is in version order).</summary>
    private IReadOnlyList<InventoryMovement> DurableMovements()
    {
        if (_working.InventoryId == 0)
        {
            return [];
        }

        var outbox = _working.Outbox;
        var count = 0;
        while (count < outbox.Count && outbox[count].Version <= _durable.Version)
        {
            count++;
        }

        return count == outbox.Count ? outbox : outbox.GetRange(0, count);
    }

    private async Task PersistAsync()
    {
        await _commit.CommitAsync();
        _pump.Schedule();
    }

    private async Task ExpireDueAsync()
    {
        if (!_commit.Failed && _ledger.ExpireDue() > 0)
        {
            await PersistAsync();
        }
    }

    /// <summary>
    /// The counters the projection writes, taken now (other turns may change the working state
    /// while a write or the projection awaits). Not a deep copy: the reservation map, which can hold
    /// thousands of entries under a flash sale, is not the projection's business.
    /// </summary>
    private InventoryItemState Figures() => new()
    {
        InventoryId = _working.InventoryId,
        Available = _working.Available,
        Reserved = _working.Reserved,
        Sold = _working.Sold,
        Version = _working.Version,
        CostPrice = _working.CostPrice,
        ReorderPoint = _working.ReorderPoint,
        ReorderQuantity = _working.ReorderQuantity,
    };
}
