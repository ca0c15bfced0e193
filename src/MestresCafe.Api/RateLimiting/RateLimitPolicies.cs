namespace MestresCafe.Api.RateLimiting;

/// <summary>
/// Names of the distributed rate limits. Checkout endpoints use
/// <c>.RequireRateLimiting(RateLimitPolicies.Checkout)</c>; the account endpoints apply theirs in
/// the handler because their per-account key (the e-mail) is in the body.
/// </summary>
public static class RateLimitPolicies
{
    public const string Login = "login";
    public const string Registration = "registration";
    public const string PasswordReset = "password-reset";
    public const string Checkout = "checkout";
    public const string Comments = "comments";
    public const string WholesaleInquiry = "wholesale-inquiry";
    public const string NewsletterSignUp = "newsletter-sign-up";

    public static readonly IReadOnlyList<string> All = [Login, Registration, PasswordReset, Checkout, Comments, WholesaleInquiry, NewsletterSignUp];
}
