using Microsoft.Extensions.Options;

namespace MestresCafe.Api.RateLimiting;

/// <summary>The "RateLimits" section: a sliding window per client IP and per user for each policy.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    // Login: the account lockout stops guessing; this stops a flood before it costs a password hash.
    public RateLimitPolicyOptions Login { get; set; } = new(new(30, TimeSpan.FromMinutes(1)), new(10, TimeSpan.FromMinutes(1)));

    public RateLimitPolicyOptions Registration { get; set; } = new(new(20, TimeSpan.FromHours(1)), new(5, TimeSpan.FromHours(1)));

    public RateLimitPolicyOptions PasswordReset { get; set; } = new(new(10, TimeSpan.FromMinutes(15)), new(3, TimeSpan.FromMinutes(15)));

    public RateLimitPolicyOptions Checkout { get; set; } = new(new(60, TimeSpan.FromMinutes(1)), new(10, TimeSpan.FromMinutes(1)));

    // Blog comments: a person writes a few at a time; more is a script.
    public RateLimitPolicyOptions Comments { get; set; } = new(new(30, TimeSpan.FromHours(1)), new(5, TimeSpan.FromMinutes(10)));
    // The public wholesale form: per IP only (it is anonymous); the per-user window is not used.
    public RateLimitPolicyOptions WholesaleInquiry { get; set; } = new(new(5, TimeSpan.FromHours(1)), new(5, TimeSpan.FromHours(1)));
    // The newsletter form: per IP, and per address signed up (each sign-up mails a confirmation to someone).
    public RateLimitPolicyOptions NewsletterSignUp { get; set; } = new(new(20, TimeSpan.FromHours(1)), new(3, TimeSpan.FromHours(1)));

    public RateLimitPolicyOptions For(string policy) => policy switch
    {
        RateLimitPolicies.Login => Login,
        RateLimitPolicies.Registration => Registration,
        RateLimitPolicies.PasswordReset => PasswordReset,
        RateLimitPolicies.Checkout => Checkout,
        RateLimitPolicies.Comments => Comments,
        RateLimitPolicies.WholesaleInquiry => WholesaleInquiry,
        RateLimitPolicies.NewsletterSignUp => NewsletterSignUp,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown rate limit policy"),
    };
}

public sealed class RateLimitPolicyOptions(RateLimitWindow perIp, RateLimitWindow perUser)
{
    public RateLimitPolicyOptions()
        : this(new(), new())
    {
    }

    public RateLimitWindow PerIp { get; set; } = perIp;

    /// <summary>Per signed-in user, or per target account (e-mail) on the anonymous account endpoints.</summary>
    public RateLimitWindow PerUser { get; set; } = perUser;
}

public sealed class RateLimitWindow(int permitLimit, TimeSpan window)
{
    public RateLimitWindow()
        : this(1, TimeSpan.FromSeconds(1))
    {
    }

    public int PermitLimit { get; set; } = permitLimit;

    public TimeSpan Window { get; set; } = window;
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var errors = new List<string>();
        foreach (var policy in RateLimitPolicies.All)
        {
            var limits = options.For(policy);
            foreach (var (scope, window) in new[] { ("PerIp", limits.PerIp), ("PerUser", limits.PerUser) })
            {
                if (window.PermitLimit < 1 || window.Window < TimeSpan.FromMilliseconds(1))
                {
                    errors.Add($"{RateLimitOptions.Section}:{policy}:{scope} needs PermitLimit >= 1 and a positive Window.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
