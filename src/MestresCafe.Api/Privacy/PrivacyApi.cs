using MestresCafe.Api.Accounts;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using MestresCafe.Data.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Privacy;

/// <summary>LGPD rights: erasure on the customer's request (password confirmed) or by staff (customers:write).</summary>
public static class PrivacyApi
{
    public const string StaffPermission = "customers:write";

    public static RouteGroupBuilder MapPrivacyApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("LGPD").RequireAuthorization().WithRequestSizeLimit(4 * 1024);
        me.MapPost("/erasure", EraseMeAsync)
            .WithName("EraseMyAccount")
            .WithSummary("Erases the signed-in customer's personal data everywhere (orders keep what tax law requires) and ends the account; the password confirms it.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        var admin = api.MapGroup("/admin/users").WithTags("LGPD").RequireAuthorization();
        admin.MapPost("/{id:long}/erasure", EraseUserAsync)
            .RequirePermission(StaffPermission)
            .WithName("EraseUser")
            .WithSummary("Erases a customer's personal data on their request made to staff; audited, idempotent (repeating it answers the first erasure's time).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return me;
    }

    private static async Task<Results<Ok<ErasureReceipt>, ValidationProblem, ProblemHttpResult>> EraseMeAsync(
        ErasureRequest body, ErasureService erasure, RateLimitGate rateLimits, HttpContext http, CancellationToken cancellationToken)
    {
        var userId = http.User.GetUserId();
        // The password is checked here as at login: the same per-account window stops a stolen session guessing it.
        var limit = await rateLimits.CheckAccountAsync(RateLimitPolicies.Login, http, http.User.FindFirst(MestresClaims.Email)!.Value);
        if (!limit.Allowed)
        {
            return RateLimitGate.TooManyRequests(http, limit.RetryAfter, "Too many password attempts.");
        }

        if (await erasure.FindAsync(userId, cancellationToken) is not { } target)
        {
            return Problems.NotFound("No such account.");
        }

        if (!PasswordHasher.Verify(body.Password!, target.PasswordHash))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = ["Wrong password."] });
        }

        return Answer(userId, await erasure.EraseAsync(target, ErasureSource.Self, AuditActors.From(http), cancellationToken));
    }

    private static async Task<Results<Ok<ErasureReceipt>, ValidationProblem, ProblemHttpResult>> EraseUserAsync(
        long id, ErasureService erasure, HttpContext http, CancellationToken cancellationToken) =>
        await erasure.FindAsync(id, cancellationToken) is { } target
            ? Answer(id, await erasure.EraseAsync(target, ErasureSource.Staff, AuditActors.From(http), cancellationToken))
            : Problems.NotFound("No such user.");

    private static Results<Ok<ErasureReceipt>, ValidationProblem, ProblemHttpResult> Answer(long userId, ErasureResult result) => result.Outcome switch
    {
        ErasureOutcome.Erased or ErasureOutcome.AlreadyErased =>
            TypedResults.Ok(new ErasureReceipt(userId, result.ErasedAt!.Value, result.Outcome == ErasureOutcome.AlreadyErased)),
        ErasureOutcome.StaffAccount => Problems.Conflict("Staff account.",
            "This account holds staff roles; take them away first, then erase it."),
        _ => Problems.NotFound("No such user."),
    };
}
