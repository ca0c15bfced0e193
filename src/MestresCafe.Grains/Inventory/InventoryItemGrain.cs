using MestresCafe.Inventory;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Inventory;

/// <summary>
/// Serializes every stock change of one item. A call is acknowledged only after the state write
/// that contains its change committed; when a write fails the activation is dropped so that the
/// next call starts again from what PostgreSQL holds.
/// </summary>
public sealed class InventoryItemGrain(
    [PersistentState("inventory", StorageNames.Store)] IPersistentState<InventoryItemState> state,
    TimeProvider clock,
    ILogger<InventoryItemGrain> logger) : Grain, IInventoryItemGrain, IRemindable
{
    private const string ExpiryReminder = "reservation-expiry";
    private InventoryLedger _ledger = null!;
    private IGrainTimer? _expiryTimer;
    private string _sku = "";
    private string _location = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_sku, _location) = InventoryKey.Parse(this.GetPrimaryKeyString());
        _ledger = new InventoryLedger(state.State, clock);
        ScheduleExpiry();
        return Task.CompletedTask;
    }

    public Task<InventorySnapshot> GetAsync() => Task.FromResult(_ledger.Snapshot(_sku, _location));

    public async Task<ReservationResult> ReserveAsync(Guid reservationId, int quantity, DateTimeOffset expiresAt)
    {
        var versionBefore = state.State.Version;
        var result = _ledger.Reserve(reservationId, quantity, expiresAt);
        if (state.State.Version != versionBefore)
        {
            await PersistAsync();
            await EnsureExpiryReminderAsync();
            ScheduleExpiry();
        }

        return result;
    }

    public async Task ReleaseAsync(Guid reservationId)
    {
        if (_ledger.Release(reservationId))
        {
            await PersistAsync();
        }
    }

    public async Task<CommitResult> CommitAsync(Guid reservationId)
    {
        var result = _ledger.Commit(reservationId);
        if (result.Outcome == CommitOutcome.Committed)
        {
            await PersistAsync();
        }

        return result;
    }

    public async Task<InventorySnapshot> RestockAsync(int quantity, string reason)
    {
        _ledger.Restock(quantity, reason);
        await PersistAsync();
        return _ledger.Snapshot(_sku, _location);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }

        await ExpireDueAsync();
        if (state.State.Reservations.Count == 0)
        {
            var reminder = await this.GetReminder(ExpiryReminder);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }
        }
    }

    private async Task ExpireDueAsync()
    {
        if (_ledger.ExpireDue() > 0)
        {
            await PersistAsync();
        }

        ScheduleExpiry();
    }

    /// <summary>
    /// A timer releases expired reservations within about a second while the grain is active; the
    /// reminder wakes an idle or moved grain so that its reservations expire all the same.
    /// </summary>
    private void ScheduleExpiry()
    {
        var next = _ledger.NextExpiry();
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        if (next is null)
        {
            return;
        }

        var due = next.Value - clock.GetUtcNow();
        _expiryTimer = this.RegisterGrainTimer(
            _ => ExpireDueAsync(),
            new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan));
    }

    private async Task EnsureExpiryReminderAsync()
    {
        // Reminders tick at one minute at the finest; the timer gives the one-second precision.
        if (await this.GetReminder(ExpiryReminder) is null)
        {
            await this.RegisterOrUpdateReminder(ExpiryReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
    }

    private async Task PersistAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception error)
        {
            // The in-memory state is now ahead of what is stored: never serve it again.
            logger.LogError(error, "State write failed for inventory item {Key}; deactivating", this.GetPrimaryKeyString());
            DeactivateOnIdle();
            throw;
        }
    }
}
