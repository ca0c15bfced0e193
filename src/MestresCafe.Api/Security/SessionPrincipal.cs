using System.Globalization;
using System.Security.Claims;

namespace MestresCafe.Api.Security;

/// <summary>
/// What a valid session proves: who the user is and what they may do. Cached in Redis under the
/// token's hash and rebuilt from PostgreSQL on a miss.
/// </summary>
public sealed record SessionPrincipal(
    long SessionId,
    long UserId,
    string Email,
    long? CustomerId,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Permissions,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ClaimsValidUntil)
{
    /// <summary>Until when the cached entry may be trusted: the session's end or the first role expiry.</summary>
    public DateTimeOffset CacheableUntil => ClaimsValidUntil is { } until && until < ExpiresAt ? until : ExpiresAt;

    public ClaimsPrincipal ToClaimsPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(MestresClaims.UserId, UserId.ToString(CultureInfo.InvariantCulture)),
            new(MestresClaims.SessionId, SessionId.ToString(CultureInfo.InvariantCulture)),
            new(MestresClaims.Email, Email),
        };
        if (CustomerId is { } customerId)
        {
            claims.Add(new(MestresClaims.CustomerId, customerId.ToString(CultureInfo.InvariantCulture)));
        }

        claims.AddRange(Roles.Select(r => new Claim(MestresClaims.Role, r)));
        claims.AddRange(Permissions.Select(p => new Claim(MestresClaims.Permission, p)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, MestresClaims.Email, MestresClaims.Role));
    }
}
