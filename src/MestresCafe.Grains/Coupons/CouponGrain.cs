using MestresCafe.Coupons;
using MestresCafe.Data.Coupons;
using MestresCafe.Data.Projections;
using MestresCafe.Grains.Projections;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace MestresCafe.Grains.Coupons;

/// <summary>
/// Serializes every use of one coupon code. Each change is applied in a turn of its own and then
/// waits for a state write that contains it (group commit), so a coupon in a checkout burst is not
/// capped at one commit per hold. A call is acknowledged only after that write committed; after a
/// failed write the activation is dropped and the next call starts from what PostgreSQL holds.
/// </summary>
[Reentrant]
public sealed class CouponGrain(
    [PersistentState("coupon", StorageNames.Store)] IPersistentState<CouponState> state,
    NpgsqlDataSource dataSource,
    ProjectionTransactions transactions,
    CouponCustomerQuery customers,
    DeepCopier<CouponState> copier,
    TimeProvider clock,
    ILogger<CouponGrain> logger) : Grain, ICouponGrain, IRemindable
{
    private const string ExpiryReminder = "coupon-hold-expiry";
    private string _code = "";
    private CouponState _working = null!;
    // The last state known to be in PostgreSQL: the projection reads only this, so the relational
    // side never shows a change whose write then failed.
    private CouponState _durable = null!;
    private CouponRules _rules = null!;
    private CouponProjection _projection = null!;
    private GroupCommit _commit = null!;
    private OutboxPump<CouponEvent> _pump = null!;
    private ExpiryScheduler _expiry = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _code = this.GetPrimaryKeyString();
        _projection = new CouponProjection(new CouponProjectionStore(dataSource, transactions));
        _durable = state.State;
        _working = copier.Copy(state.State);
        _rules = new CouponRules(_working, clock);
        _commit = new GroupCommit(WriteAsync, () => state.State = copier.Copy(_working), DeactivateOnIdle, batch: true, logger);
        // The projection reads only the durable state: the relational side never shows a change whose write then failed.
        _pump = new OutboxPump<CouponEvent>(this, Outbox.For(_projection, _code, () => _durable, () => _durable.Outbox, RemoveProjected), logger);
        _expiry = new ExpiryScheduler(this, ExpiryReminder, _rules.NextExpiry, ExpireDueAsync, clock, logger);

        // A coupon that exists only as a relational row (seeded, or its grain state lost) starts from it.
        if (!state.RecordExists && CouponCode.IsValid(_code) && await _projection.LoadAsync(_code, cancellationToken) is { } row)
        {
            _rules.Bootstrap(row);
            await _commit.CommitAsync();
        }

        ScheduleExpiry();
        await EnsureExpiryReminderAsync();
        if (_durable.Outbox.Count > 0)
        {
            _pump.Schedule();
        }
    }

    public Task<CouponSnapshot?> GetAsync() => Task.FromResult(_rules.Snapshot(_code));

    public async Task<CouponSnapshot> DefineAsync(CouponDefinition definition)
    {
        _commit.ThrowIfFailed();
        if (!CouponCode.IsValid(_code))
        {
            throw new CouponDefinitionException("code", $"'{_code}' is not a valid coupon code.");
        }

        _rules.Define(definition);
        await PersistAsync();
        return _rules.Snapshot(_code)!;
    }

    public async Task<CouponSnapshot?> CreateAsync(CouponDefinition definition)
    {
        _commit.ThrowIfFailed();
        return _rules.Exists ? null : await DefineAsync(definition);
    }

    public async Task<CouponHoldResult> HoldAsync(CouponHoldRequest request)
    {
        _commit.ThrowIfFailed();
        if (_rules.NeedsCustomerFacts(request.OrderNumber))
        {
            // Read before the decision, which then runs in one turn against this coupon's own
            // history: a hold of the same customer that lands meanwhile is seen by the rules.
            var customer = await customers.GetAsync(request.UserId, request.OrderNumber);
            request = request with
            {
                IsFirstOrder = !customer.HasEarlierOrder,
                IsEmailVerified = customer.IsEmailVerified,
                CustomerGroupIds = customer.GroupIds,
            };
        }

        var versionBefore = _working.Version;
        var result = _rules.Hold(request);
        if (_working.Version != versionBefore)
        {
            ScheduleExpiry();
            await PersistAsync();
            await EnsureExpiryReminderAsync();
        }
        else if (result.Succeeded)
        {
            // A retried hold: acknowledge it only once the first one's write is durable.
            await _commit.CommitAsync();
        }

        return result;
    }

    public async Task<bool> ConfirmAsync(string orderNumber)
    {
        _commit.ThrowIfFailed();
        switch (_rules.Confirm(orderNumber))
        {
            case ConfirmOutcome.Confirmed:
                ScheduleExpiry();
                await PersistAsync();
                return true;
            case ConfirmOutcome.AlreadyConfirmed:
                await _commit.CommitAsync();
                return true;
            default:
                return false;
        }
    }

    public async Task ReleaseAsync(string orderNumber)
    {
        _commit.ThrowIfFailed();
        if (_rules.Release(orderNumber))
        {
            ScheduleExpiry();
            await PersistAsync();
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => _expiry.ReceiveReminderAsync(reminderName);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _expiry.Stop();
        return Task.CompletedTask;
    }

    private async Task WriteAsync()
    {
        var writing = state.State;
        await state.WriteStateAsync();
        _durable = writing;
    }

    private async Task PersistAsync()
    {
        await _commit.CommitAsync();
        if (_durable.Outbox.Count > 0)
        {
            _pump.Schedule();
        }
    }

    private async Task ExpireDueAsync()
    {
        if (!_commit.Failed && _rules.ExpireDue())
        {
            await PersistAsync();
        }
    }

    private void RemoveProjected(IReadOnlyList<CouponEvent> events)
    {
        // Removed by id: writes that completed meanwhile copied the same events into newer states.
        var applied = events.Select(e => e.EventId).ToHashSet();
        _durable.Outbox.RemoveAll(e => applied.Contains(e.EventId));
        _working.Outbox.RemoveAll(e => applied.Contains(e.EventId));
    }

    private void ScheduleExpiry() => _expiry.Schedule();

    private Task EnsureExpiryReminderAsync() => _expiry.EnsureReminderAsync();
}
