using System.Security.Claims;
using MestresCafe.Data.Audit;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Security;

/// <summary>
/// Who is behind a request, for the audit trail: the signed-in user (as the session handler put
/// them on the principal), the connection's address and the user agent. Audit rows take this as a
/// value, so the audit writer needs nothing from this folder but the answer.
/// </summary>
public static class AuditActors
{
    public static AuditActor From(HttpContext http) => new(
        UserIdOf(http.User),
        http.Connection.RemoteIpAddress,
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);

    private static long? UserIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst(MestresClaims.UserId) is not null ? user.GetUserId() : null;
}
