using System.Globalization;
using System.Security.Claims;

namespace MestresCafe.Api.Security;

/// <summary>
/// The claims a signed-in request carries. The session authentication handler puts them on the
/// principal from the session record; endpoints read them through the helpers below.
/// </summary>
public static class MestresClaims
{
    public const string UserId = "sub";
    public const string SessionId = "sid";
    public const string Email = "email";
    public const string Role = "role";
    /// <summary>One claim per permission, <c>resource:action</c>, from the user's unexpired roles.</summary>
    public const string Permission = "perm";
    /// <summary>The CRM customer id, present when the user is a customer.</summary>
    public const string CustomerId = "customer_id";

    public static long GetUserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(UserId) ?? throw new InvalidOperationException("not signed in"), CultureInfo.InvariantCulture);

    public static long? GetCustomerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(CustomerId) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : null;

    public static bool HasPermission(this ClaimsPrincipal user, string permission) =>
        user.HasClaim(Permission, permission);
}
