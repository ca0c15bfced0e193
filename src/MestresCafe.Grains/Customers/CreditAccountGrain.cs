using MestresCafe.Customers;
using MestresCafe.Data.Customers;
using MestresCafe.Grains.Projections;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Customers;

/// <summary>
/// One B2B account's credit (see <see cref="ICreditAccountGrain"/>). Not reentrant, so reservations
/// are decided one at a time against the open invoices; each reads the account's terms from the
/// back office's row right before deciding (a limit lowered a second ago applies now), and is
/// acknowledged only after the state write that holds it.
/// </summary>
public sealed class CreditAccountGrain(
    [PersistentState("credit", StorageNames.Store)] IPersistentState<CreditAccountState> state,
    CreditAccountStore accounts,
    CreditAccountProjection projection,
    TimeProvider clock,
    ILogger<CreditAccountGrain> logger) : Grain, ICreditAccountGrain
{
    private OutboxPump<CreditEvent> _pump = null!;
    private CreditLedger _ledger = null!;

    private long UserId => this.GetPrimaryKeyLong();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = new CreditLedger(state.State, clock);
        _pump = new OutboxPump<CreditEvent>(this, Outbox.For(projection, UserId, () => state.State, () => true, () => state.State.Outbox), logger);
        if (state.State.Outbox.Count > 0)
        {
            _pump.Schedule();
        }

        return Task.CompletedTask;
    }

    public async Task<CreditDecision> ReserveAsync(string orderNumber, decimal amount)
    {
        var version = state.State.Version;
        var decision = _ledger.Reserve(orderNumber, amount, await accounts.TermsForUserAsync(UserId));
        if (state.State.Version != version)
        {
            await PersistAsync();
        }

        return decision;
    }

    public async Task<CreditAccountSnapshot> ReleaseAsync(string orderNumber, CreditRelease reason)
    {
        if (_ledger.Release(orderNumber, reason))
        {
            await PersistAsync();
        }

        return _ledger.Snapshot(UserId, await accounts.TermsForUserAsync(UserId));
    }

    public async Task<CreditAccountSnapshot> GetAsync() => _ledger.Snapshot(UserId, await accounts.TermsForUserAsync(UserId));

    private async Task PersistAsync()
    {
        await state.WriteOrDeactivateAsync(_pump, DeactivateOnIdle);
        _pump.Schedule();
    }
}
