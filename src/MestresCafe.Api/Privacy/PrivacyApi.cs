using MestresCafe.Api.Accounts;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using MestresCafe.Data.Privacy;
using MestresCafe.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Privacy;

/// <summary>LGPD rights: erasure (by the customer with their password, or by staff with customers:write), access (the export) and marketing consents.</summary>
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
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapGet("/consents", GetConsentsAsync)
            .WithName("GetMyConsents")
            .WithSummary("The customer's current answer for each marketing purpose, with when and where it was given (never asked: not granted).");
        me.MapPut("/consents", PutConsentsAsync)
            .WithName("UpdateMyConsents")
            .WithSummary("Records the answers that changed, with time, source, IP and user agent; e-mail marketing also (un)subscribes the newsletter.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPost("/data-export", RequestExportAsync)
            .WithNoStore()
            .WithName("RequestMyDataExport")
            .WithSummary("Starts building an export of every personal datum the store holds about the customer; answers the one-time download token.");
        me.MapGet("/data-export", GetExportAsync)
            .WithName("GetMyDataExport")
            .WithSummary("The latest export's status: pending, ready, downloaded, expired or failed.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/data-exports/{token}", DownloadExportAsync)
            .WithTags("LGPD")
            .AllowAnonymous()
            .WithNoStore()
            .WithName("DownloadDataExport")
            .WithSummary("Downloads an export once with its token: a zip of the JSON document and one CSV per section (format=zip, the default) or the JSON alone (format=json).")
            .Produces(StatusCodes.Status200OK, responseType: null, contentType: "application/zip", "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);

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

    private static async Task<Ok<IReadOnlyList<ConsentState>>> GetConsentsAsync(MarketingConsentStore consents, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await consents.CurrentAsync(http.User.GetUserId(), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<ConsentState>>, ValidationProblem, ProblemHttpResult>> PutConsentsAsync(
        ConsentUpdate body, MarketingConsentStore consents, HttpContext http, CancellationToken cancellationToken)
    {
        var answers = body.Consents!.Select(c => (c.Purpose!, c.Granted!.Value)).ToList();
        return await consents.RecordAsync(http.User.GetUserId(), answers, body.Source ?? MarketingConsent.AccountSettings, AuditActors.From(http), cancellationToken) is { } after
            ? TypedResults.Ok(after)
            : Problems.NotFound("No such account.");
    }

    private static async Task<Accepted<DataExportRequested>> RequestExportAsync(
        PersonalDataExportStore exports, DataExportSignal signal, IOptions<PrivacyOptions> options, HttpContext http, CancellationToken cancellationToken)
    {
        var token = SessionTokens.New();
        var created = await exports.RequestAsync(http.User.GetUserId(), SessionTokens.Hash(token), options.Value.ExportLifetime, cancellationToken);
        signal.Raise();
        return TypedResults.Accepted("/api/me/data-export",
            new DataExportRequested(created.Id, created.Status, created.ExpiresAt, token, "/api/data-exports/" + token));
    }

    private static async Task<Results<Ok<DataExportStatus>, ProblemHttpResult>> GetExportAsync(
        PersonalDataExportStore exports, HttpContext http, CancellationToken cancellationToken) =>
        await exports.LatestAsync(http.User.GetUserId(), cancellationToken) is { } latest
            ? TypedResults.Ok(latest)
            : Problems.NotFound("No export requested.");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadExportAsync(
        string token, PersonalDataExportStore exports, HttpContext http, CancellationToken cancellationToken, [OneOf("zip", "json")] string format = "zip")
    {
        var json = format == "json";
        if (!SessionTokens.LooksValid(token)
            || await exports.DownloadAsync(SessionTokens.Hash(token), json ? DataExportFormat.Json : DataExportFormat.Zip, cancellationToken) is not { } content)
        {
            return Problems.NotFound("No export to download: the link was used, expired, or is not ready yet.");
        }

        return json
            ? TypedResults.File(content, "application/json", "dados-pessoais.json")
            : TypedResults.File(content, "application/zip", "dados-pessoais.zip");
    }

    private static Results<Ok<ErasureReceipt>, ValidationProblem, ProblemHttpResult> Answer(long userId, ErasureResult result) => result.Outcome switch
    {
        ErasureOutcome.Erased or ErasureOutcome.AlreadyErased =>
            TypedResults.Ok(new ErasureReceipt(userId, result.ErasedAt!.Value, result.Outcome == ErasureOutcome.AlreadyErased)),
        ErasureOutcome.StaffAccount => Problems.Conflict("Staff account.",
            "This account holds staff roles; take them away first, then erase it."),
        _ => Problems.NotFound("No such user."),
    };
}
