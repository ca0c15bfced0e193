using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Accounts;

/// <summary>/api/me: the signed-in user's own profile and sessions. The user is always the caller; no id is taken from the client.</summary>
public static class MeApi
{
    private const long MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Accounts").RequireAuthorization().WithRequestSizeLimit(MaxBodyBytes);

        me.MapGet("/", GetAsync)
            .WithName("GetCurrentUser")
            .WithSummary("The signed-in user's profile, roles and permissions.");
        me.MapPatch("/", UpdateAsync)
            .WithName("UpdateCurrentUser")
            .WithSummary("Updates names, phone, avatar, bio, preferences, language and time zone; other fields are ignored.");
        me.MapPost("/email-verification", SendVerificationAsync)
            .WithName("SendEmailVerification")
            .WithSummary("Sends a new e-mail confirmation link (the previous one stops working); 409 when the e-mail is already verified.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        me.MapGet("/sessions", ListSessionsAsync)
            .WithName("ListMySessions")
            .WithSummary("The signed-in user's active sessions.");
        me.MapDelete("/sessions/{id:long}", RevokeSessionAsync)
            .WithName("RevokeMySession")
            .WithSummary("Ends one of the signed-in user's sessions on every server.");
        return me;
    }

    private static async Task<Results<Ok<UserProfile>, NotFound>> GetAsync(AccountService accounts, HttpContext http, CancellationToken cancellationToken) =>
        await accounts.GetProfileAsync(http.User.GetUserId(), cancellationToken) is { } profile ? TypedResults.Ok(profile) : TypedResults.NotFound();

    private static async Task<Results<Ok<UserProfile>, ValidationProblem, NotFound>> UpdateAsync(
        ProfileUpdate update, AccountService accounts, HttpContext http, CancellationToken cancellationToken)
    {
        return await accounts.UpdateProfileAsync(http.User.GetUserId(), update, http, cancellationToken) is { } profile
            ? TypedResults.Ok(profile)
            : TypedResults.NotFound();
    }

    private static async Task<Results<Accepted, NotFound, ProblemHttpResult>> SendVerificationAsync(
        EmailVerificationService verification, RateLimitGate rateLimits, HttpContext http, CancellationToken cancellationToken)
    {
        var limit = await rateLimits.CheckAccountAsync(RateLimitPolicies.PasswordReset, http, http.User.FindFirst(MestresClaims.Email)!.Value);
        if (!limit.Allowed)
        {
            return RateLimitGate.TooManyRequests(http, limit.RetryAfter, "Too many confirmation e-mails.");
        }

        return await verification.SendAgainAsync(http.User.GetUserId(), http, cancellationToken) switch
        {
            VerificationRequestOutcome.Sent => TypedResults.Accepted((string?)null),
            VerificationRequestOutcome.AlreadyVerified => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "E-mail already verified.", detail: "This account's e-mail is verified; there is nothing to confirm."),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<Ok<IReadOnlyList<SessionSummary>>> ListSessionsAsync(SessionStore sessions, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sessions.ListActiveAsync(http.User.GetUserId(), CurrentSessionId(http), cancellationToken));

    // Another user's session id is a 404, exactly like one that does not exist.
    private static async Task<Results<NoContent, NotFound>> RevokeSessionAsync(long id, SessionStore sessions, HttpContext http, CancellationToken cancellationToken) =>
        await sessions.RevokeAsync(http.User.GetUserId(), id, "logout", cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static long CurrentSessionId(HttpContext http) =>
        long.Parse(http.User.FindFirst(MestresClaims.SessionId)!.Value, System.Globalization.CultureInfo.InvariantCulture);
}
