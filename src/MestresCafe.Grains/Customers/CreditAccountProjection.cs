using MestresCafe.Data.Customers;
using MestresCafe.Grains.Projections;

namespace MestresCafe.Grains.Customers;

/// <summary>
/// Projects a credit account's exposure as customers.current_balance. The balance is taken from
/// the state, not summed from events, and written only over an older version: a replay, or a run
/// that arrives after a newer one, changes nothing.
/// </summary>
public sealed class CreditAccountProjection(CreditAccountStore store) : IProjection<long, CreditAccountState, CreditEvent>
{
    public Task ApplyAsync(long userId, CreditAccountState state, IReadOnlyList<CreditEvent> events, CancellationToken cancellationToken) =>
        store.ApplyBalanceAsync(userId, state.OpenInvoices.Values.Sum(i => i.Amount), state.Version, cancellationToken);
}
