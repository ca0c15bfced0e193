using MestresCafe.Api.Accounts;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using MestresCafe.Data.Marketing;
using MestresCafe.Marketing;
using MestresCafe.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Marketing;

/// <summary>
/// /api/newsletter: the storefront's sign-up (double opt-in), the confirmation, and what the links
/// of every marketing e-mail open: topic preferences and the unsubscribe, which is also the
/// List-Unsubscribe one-click target (RFC 8058). Anonymous: the signed link is the credential.
/// </summary>
public static class NewsletterApi
{
    public static RouteGroupBuilder MapNewsletterApi(this RouteGroupBuilder api)
    {
        var newsletter = api.MapGroup("/newsletter").WithTags("Newsletter").AllowAnonymous().WithRequestSizeLimit(4 * 1024).WithNoStore();
        newsletter.MapPost("/subscriptions", SignUpAsync)
            .WithName("SignUpForNewsletter")
            .WithSummary("Signs an address up: a confirmation e-mail with a signed link that expires goes to it, and nothing else is sent until it is opened. The answer is the same whether the address was new, pending or subscribed.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        newsletter.MapPost("/confirm", ConfirmAsync)
            .WithName("ConfirmNewsletterSubscription")
            .WithSummary("Confirms a sign-up with the token of its link: the address is subscribed with its topics (and an account with this e-mail gives its marketing consent).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        newsletter.MapGet("/preferences/{token}", GetPreferencesAsync)
            .WithName("GetNewsletterPreferences")
            .WithSummary("The subscription a marketing e-mail's link speaks for: status and topics.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        newsletter.MapPut("/preferences/{token}", PutPreferencesAsync)
            .WithName("UpdateNewsletterPreferences")
            .WithSummary("Replaces the topics of the subscription a link speaks for (an empty list: every topic).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        newsletter.MapPost("/unsubscribe/{token}", UnsubscribeAsync)
            .Accepts<UnsubscribeRequest>(true, "application/json", "application/x-www-form-urlencoded")
            .WithName("UnsubscribeFromMarketing")
            .WithSummary("Unsubscribes the address of a marketing e-mail's link from all marketing (and withdraws an account's consent). A mail client's one-click POST (List-Unsubscribe=One-Click) needs no reason; the page may send one. Repeating it changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return newsletter;
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> SignUpAsync(
        NewsletterSignUp body, NewsletterStore newsletter, MarketingLinks links, AccountLinks accountLinks, RateLimitGate rateLimits,
        IOptions<MarketingOptions> options, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var email = body.Email!.Trim().ToLowerInvariant();
        var limit = await rateLimits.CheckAccountAsync(RateLimitPolicies.NewsletterSignUp, http, email);
        if (!limit.Allowed)
        {
            return RateLimitGate.TooManyRequests(http, limit.RetryAfter, "Too many sign-ups; try again later.");
        }

        // A filled honeypot gets the answer a person gets, and nothing is stored or sent.
        if (string.IsNullOrWhiteSpace(body.Website))
        {
            var token = links.ConfirmationToken(email, body.Topics ?? [], clock.GetUtcNow());
            var lifetime = options.Value.ConfirmationLifetime;
            await newsletter.SignUpAsync(email, MarketingConsent.NewsletterForm,
                accountLinks.Seal($"{MarketingLinks.ConfirmPagePath}?token={token}"), (int)Math.Round(lifetime.TotalHours), cancellationToken);
        }

        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<NewsletterStatus>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        NewsletterConfirmRequest body, NewsletterStore newsletter, MarketingLinks links, IOptions<MarketingOptions> options, TimeProvider clock,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (links.ReadConfirmationToken(body.Token!, clock.GetUtcNow(), options.Value.ConfirmationLifetime) is not { } confirmation)
        {
            return Problems.NotFound("This confirmation link is not valid or has expired; sign up again to get a new one.");
        }

        var (outcome, subscription) = await newsletter.ConfirmAsync(
            confirmation.Email, confirmation.Topics, MarketingConsent.NewsletterForm, confirmation.IssuedAt, AuditActors.From(http), cancellationToken);
        return outcome == ConfirmOutcome.Stale
            ? Problems.Conflict("This address unsubscribed after the link was sent.", "Sign up again to get a new confirmation link.")
            : TypedResults.Ok(Status(subscription!));
    }

    private static async Task<Results<Ok<NewsletterStatus>, ProblemHttpResult>> GetPreferencesAsync(
        string token, NewsletterStore newsletter, MarketingLinks links, CancellationToken cancellationToken) =>
        await FindAsync(token, newsletter, links, cancellationToken) is { } found && await newsletter.GetAsync(found.Email, cancellationToken) is { } subscription
            ? TypedResults.Ok(Status(subscription))
            : Problems.NotFound("No subscription for this link.");

    private static async Task<Results<Ok<NewsletterStatus>, ValidationProblem, ProblemHttpResult>> PutPreferencesAsync(
        string token, NewsletterPreferencesUpdate body, NewsletterStore newsletter, MarketingLinks links, HttpContext http, CancellationToken cancellationToken) =>
        await FindAsync(token, newsletter, links, cancellationToken) is { } found
        && await newsletter.SetTopicsAsync(found.Email, body.Topics!, AuditActors.From(http), cancellationToken) is { } subscription
            ? TypedResults.Ok(Status(subscription))
            : Problems.NotFound("No active subscription for this link.");

    private static async Task<Results<Ok<NewsletterStatus>, ValidationProblem, ProblemHttpResult>> UnsubscribeAsync(
        string token, HttpRequest request, NewsletterStore newsletter, MarketingLinks links, HttpContext http, CancellationToken cancellationToken)
    {
        string? reason = null;
        if (request.HasJsonContentType())
        {
            try
            {
                reason = (await request.ReadFromJsonAsync<UnsubscribeRequest>(cancellationToken))?.Reason;
            }
            catch (System.Text.Json.JsonException)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["The body is not a JSON object with a reason."] });
            }
        }
        else if (request.HasFormContentType)
        {
            // RFC 8058's body is "List-Unsubscribe=One-Click"; a page's form may add a reason.
            reason = (await request.ReadFormAsync(cancellationToken))["reason"].FirstOrDefault();
        }

        if (reason is not null && !UnsubscribeReasons.Chosen.Contains(reason, StringComparer.Ordinal))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"One of: {string.Join(", ", UnsubscribeReasons.Chosen)}."],
            });
        }

        if (await FindAsync(token, newsletter, links, cancellationToken) is not { } found)
        {
            return Problems.NotFound("This unsubscribe link is not valid.");
        }

        var after = await newsletter.UnsubscribeAsync(
            found.Email, reason ?? UnsubscribeReasons.OneClick, found.Link.RecipientId, AuditActors.From(http), cancellationToken);
        return TypedResults.Ok(Status(after));
    }

    private static async Task<(SubscriberLink Link, string Email)?> FindAsync(
        string token, NewsletterStore newsletter, MarketingLinks links, CancellationToken cancellationToken) =>
        links.ReadSubscriberToken(token) is { } link && await newsletter.EmailOfAsync(link.Subject, cancellationToken) is { } email
            ? (link, email)
            : null;

    private static NewsletterStatus Status(NewsletterSubscription subscription) =>
        new(subscription.Email, subscription.Status, subscription.Topics, NewsletterTopics.All, subscription.UnsubscribeReason);
}
