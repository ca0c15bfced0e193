using MestresCafe.Api.Accounts;
using MestresCafe.Api.Security;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Privacy;
using MestresCafe.Orders;

namespace MestresCafe.Api.Privacy;

/// <summary>
/// LGPD erasure end to end: the orders' grain state, the relational rows (one transaction,
/// <see cref="PersonalDataErasureStore"/>), then what Redis and each server's memory hold (the
/// sessions, the profile, the product pages whose reviews named the person).
/// </summary>
/// <remarks>
/// The order grains go first so that an order not yet projected writes its addresses already
/// anonymised. Every step may be repeated: a call on an erased account runs them all again and
/// finds nothing left, which is what finishes an erasure interrupted after its commit.
/// </remarks>
public sealed class ErasureService(
    PersonalDataErasureStore store, IGrainFactory grains, SessionCache sessions, ProfileCache profiles, CachedProductPages productPages)
{
    public Task<ErasureTarget?> FindAsync(long userId, CancellationToken cancellationToken) => store.FindAsync(userId, cancellationToken);

    public async Task<ErasureResult> EraseAsync(ErasureTarget target, ErasureSource source, AuditActor actor, CancellationToken cancellationToken)
    {
        if (target.IsStaff)
        {
            return ErasureResult.StaffAccount;
        }

        foreach (var orderNumber in target.OrderNumbers)
        {
            await grains.GetGrain<IOrderGrain>(orderNumber).ErasePersonalDataAsync();
        }

        var result = await store.EraseAsync(target.UserId, source, actor, cancellationToken);
        if (result.Outcome is not (ErasureOutcome.Erased or ErasureOutcome.AlreadyErased))
        {
            return result;
        }

        await sessions.MarkRevokedAsync(result.RevokedTokenHashes);
        await profiles.DropAsync(target.UserId);
        foreach (var slug in result.ReviewedProductSlugs)
        {
            await productPages.ForgetAsync(slug);
        }

        return result;
    }
}
