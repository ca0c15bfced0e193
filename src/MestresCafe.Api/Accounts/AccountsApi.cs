using MestresCafe.Api.Cart;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Accounts;

/// <summary>/api/auth: sign-up, e-mail confirmation, login, refresh, logout, password reset.</summary>
public static class AccountsApi
{
    // Every body here is a handful of short fields.
    private const long MaxBodyBytes = 16 * 1024;

    // One answer for a free and a taken e-mail: the next step is in the mailbox either way.
    private static readonly RegistrationAccepted RegistrationAccepted = new(
        "Enviamos uma mensagem para o e-mail informado: siga o link dela para confirmar o endereço. "
        + "Se o e-mail já tinha uma conta, a mensagem explica como entrar nela.");

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Accounts").WithRequestSizeLimit(MaxBodyBytes).WithNoStore();

        auth.MapPost("/register", RegisterAsync)
            .WithName("Register")
            .WithSummary("Creates a customer account (user, CRM customer, 'customer' role) and sends its e-mail confirmation link; "
                + "answers 202 alike whether or not the e-mail already has an account (its owner is told instead). Sign in with the password afterwards.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/verify-email", VerifyEmailAsync)
            .WithName("VerifyEmail")
            .WithSummary("Confirms the account's e-mail with the token of the link sent at registration; a verified e-mail is needed for first-order coupons.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/login", LoginAsync)
            .WithName("Login")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status423Locked)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Exchanges e-mail and password for an access token and a refresh token.");
        auth.MapPost("/refresh", RefreshAsync)
            .WithName("RefreshSession")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Exchanges a refresh token (once) for a new token pair; a reused refresh token ends the whole session family.");
        auth.MapPost("/logout", LogoutAsync)
            .RequireAuthorization()
            .WithName("Logout")
            .WithSummary("Ends the current session on every server.");
        auth.MapPost("/password-reset", RequestPasswordResetAsync)
            .WithName("RequestPasswordReset")
            .WithSummary("Sends a single-use reset link to the account's e-mail; answers 202 alike whether or not the account exists.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/password-reset/confirm", ConfirmPasswordResetAsync)
            .WithName("ConfirmPasswordReset")
            .WithSummary("Sets a new password with the token of a reset link, ends every session of the account and lifts its sign-in lockout.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return auth;
    }

    private static async Task<Results<Accepted<RegistrationAccepted>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, AccountService accounts, RateLimitGate rateLimits, HttpContext http, CancellationToken cancellationToken)
    {
        var limit = await rateLimits.CheckAccountAsync(RateLimitPolicies.Registration, http, AccountRules.NormalizeEmail(request.Email!));
        if (!limit.Allowed)
        {
            return RateLimitGate.TooManyRequests(http, limit.RetryAfter, "Too many sign-ups from this address.");
        }

        await accounts.RegisterAsync(request, http, cancellationToken);
        return TypedResults.Accepted((string?)null, RegistrationAccepted);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> VerifyEmailAsync(
        EmailVerificationConfirmation request, EmailVerificationService verification, RateLimitGate rateLimits, HttpContext http,
        CancellationToken cancellationToken)
    {
        // Tokens are 256-bit: the limit bounds the database work of a flood, not guessing.
        var limit = await rateLimits.CheckAsync(RateLimitPolicies.PasswordReset, http, user: null);
        if (!limit.Allowed)
        {
            return RateLimitGate.TooManyRequests(http, limit.RetryAfter, "Too many confirmation attempts.");
        }

        return await verification.ConfirmAsync(request.Token!, http, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = ["The confirmation link is invalid, already used or expired."] });
    }

    private static async Task<Results<Ok<AuthTokens>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, LoginService logins, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await logins.LoginAsync(AccountRules.NormalizeEmail(request.Email!), request.Password!, http, cancellationToken);
        switch (outcome.Status)
        {
            case LoginStatus.Success:
                // A visitor's cart (X-Cart-Id) joins the customer's cart as they sign in.
                await CartApi.MergeVisitorCartAsync(grains, http, outcome.Session!.UserId);
                return TypedResults.Ok(Tokens(outcome.Session!));
            case LoginStatus.Disabled:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Account disabled.",
                    detail: "This account is disabled; contact support.");
            case LoginStatus.AccountLocked:
                http.Response.Headers.RetryAfter = RateLimitGate.RetryAfterSeconds(outcome.RetryAfter);
                return TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "Account temporarily locked.",
                    detail: "Too many failed sign-ins for this account; retry after the number of seconds in Retry-After or reset the password.");
            case LoginStatus.IpLocked:
                return RateLimitGate.TooManyRequests(http, outcome.RetryAfter, "Too many failed sign-ins from this address.");
            case LoginStatus.RateLimited:
                return RateLimitGate.TooManyRequests(http, outcome.RetryAfter, "Too many sign-in attempts.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid e-mail or password.");
        }
    }

    private static async Task<Results<Ok<AuthTokens>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, SessionStore sessions, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sessions.RefreshAsync(request.RefreshToken!, http, cancellationToken);
        return result.Session is { } session
            ? TypedResults.Ok(Tokens(session))
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token.",
                detail: result.IsReuse
                    ? "This refresh token was already used; every session created from it has been ended. Sign in again."
                    : "The refresh token is unknown, expired or its session ended. Sign in again.");
    }

    private static async Task<NoContent> LogoutAsync(SessionStore sessions, HttpContext http, CancellationToken cancellationToken)
    {
        var sessionId = long.Parse(http.User.FindFirst(MestresClaims.SessionId)!.Value, System.Globalization.CultureInfo.InvariantCulture);
        await sessions.RevokeAsync(http.User.GetUserId(), sessionId, "logout", cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RequestPasswordResetAsync(
        PasswordResetRequest request, PasswordResetService resets, RateLimitGate rateLimits, HttpContext http, CancellationToken cancellationToken)
    {
        var email = AccountRules.NormalizeEmail(request.Email!);
        var limit = await rateLimits.CheckAccountAsync(RateLimitPolicies.PasswordReset, http, email);
        if (!limit.Allowed)
        {
            return RateLimitGate.TooManyRequests(http, limit.RetryAfter, "Too many password reset requests.");
        }

        await resets.RequestAsync(email, http, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConfirmPasswordResetAsync(
        PasswordResetConfirmation request, PasswordResetService resets, RateLimitGate rateLimits, HttpContext http, CancellationToken cancellationToken)
    {
        var limit = await rateLimits.CheckAsync(RateLimitPolicies.PasswordReset, http, user: null);
        if (!limit.Allowed)
        {
            return RateLimitGate.TooManyRequests(http, limit.RetryAfter, "Too many password reset attempts.");
        }

        return await resets.ConfirmAsync(request.Token!, request.NewPassword!, http, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = ["The reset link is invalid, already used or expired."] });
    }

    private static AuthTokens Tokens(IssuedSession session) =>
        new(session.AccessToken, session.RefreshToken, "Bearer", session.ExpiresAt, session.RefreshExpiresAt, session.UserId);
}
