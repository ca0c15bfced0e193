using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.RateLimiting;

/// <summary>
/// Applies a policy's per-IP and per-user windows in one Redis call. Endpoints whose user is only
/// known from the body (login, registration, password reset) call it from the handler; the
/// middleware policy (<see cref="DistributedRateLimiterPolicy"/>) uses the same subjects.
/// </summary>
public sealed class RateLimitGate(RedisSlidingWindow window, IOptionsMonitor<RateLimitOptions> options)
{
    public Task<RateLimitDecision> CheckAsync(string policy, HttpContext http, string? user) => CheckAsync(policy, IpKey(http), user);

    public Task<RateLimitDecision> CheckAsync(string policy, string ip, string? user)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return Task.FromResult(RateLimitDecision.Allow);
        }

        var limits = settings.For(policy);
        var subjects = new List<RateLimitKey>(2) { new($"{policy}:ip:{ip}", limits.PerIp) };
        if (user is not null)
        {
            subjects.Add(new($"{policy}:user:{user}", limits.PerUser));
        }

        return window.HitAsync(subjects);
    }

    /// <summary>The per-user subject of an anonymous account endpoint: a digest of the e-mail, so no address sits in Redis.</summary>
    public Task<RateLimitDecision> CheckAccountAsync(string policy, HttpContext http, string normalizedEmail) =>
        CheckAsync(policy, http, "acct-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)))[..32]);

    public static string IpKey(HttpContext http) => ClientInfo.From(http).Ip?.ToString() ?? "unknown";

    /// <summary>A 429 with Retry-After (whole seconds, rounded up) and problem details.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext http, TimeSpan retryAfter, string detail)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.", detail: detail);
    }

    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
