using System.Globalization;
using MestresCafe.Api.Security;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Users' profiles as GET /api/me answers them, kept in each server's memory (<see cref="LocalCache"/>,
/// bounded, a few seconds each) so that a signed-in user's repeated reads need no PostgreSQL query.
/// </summary>
/// <remarks>
/// Whatever changes what /api/me returns (users, the customer row, user_roles, role_permissions,
/// roles, permissions) calls <see cref="DropAsync"/> (or <see cref="DropAllAsync"/>) after its
/// transaction commits and before it answers: every server has dropped its copy by then, or has
/// stopped trusting its memory. A profile is kept no longer than its first role expiry, and one
/// without a customer row is not kept (the loyalty projection may add that row on its own).
/// </remarks>
public sealed class ProfileCache(LocalCache memory)
{
    /// <summary>The profile this server read a moment ago, if it may still answer with it.</summary>
    public UserProfile? TryGet(long userId) => memory.TryGet<UserProfile>(KeyOf(userId));

    /// <summary>Read before the PostgreSQL read whose result goes to <see cref="TryAdd"/>.</summary>
    public long Epoch => memory.Epoch;

    /// <summary>Keeps a profile just read from PostgreSQL, unless a drop arrived since <paramref name="epoch"/>.</summary>
    public void TryAdd(UserProfile profile, DateTimeOffset? claimsValidUntil, long epoch)
    {
        if (profile.CustomerId is null)
        {
            return;
        }

        memory.TryAdd(KeyOf(profile.Id), profile, claimsValidUntil ?? DateTimeOffset.MaxValue, epoch);
    }

    /// <summary>
    /// The users' profiles changed (their row, customer row or grants): every server drops its copy
    /// before this returns. Call it after the change committed, before answering. Not cancellable:
    /// a client that hangs up after the commit must not leave other servers with the old profile.
    /// </summary>
    public Task DropAsync(IReadOnlyCollection<long> userIds) =>
        userIds.Count == 0 ? Task.CompletedTask : memory.PublishAsync(userIds.Select(KeyOf).ToArray());

    /// <inheritdoc cref="DropAsync(IReadOnlyCollection{long})"/>
    public Task DropAsync(long userId) => DropAsync([userId]);

    /// <summary>
    /// A change that may touch many users' profiles (a role's permissions edited, a role or
    /// permission renamed or deleted): every server empties its memory before this returns.
    /// </summary>
    public Task DropAllAsync() => memory.PublishAsync([LocalCache.Everything]);

    private static string KeyOf(long userId) => "profile:" + userId.ToString(CultureInfo.InvariantCulture);
}
