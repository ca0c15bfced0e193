using System.Globalization;
using System.Threading.RateLimiting;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace MestresCafe.Api.RateLimiting;

/// <summary>
/// An ASP.NET Core rate limiter policy (for <c>.RequireRateLimiting(name)</c>) over the Redis
/// sliding window: the client IP, and the user when signed in.
/// </summary>
internal sealed class DistributedRateLimiterPolicy(string policy, RateLimitGate gate) : IRateLimiterPolicy<string>
{
    // The global OnRejected writes the problem details.
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var user = httpContext.User.Identity?.IsAuthenticated == true && httpContext.User.FindFirst(MestresClaims.UserId) is not null
            ? httpContext.User.GetUserId().ToString(CultureInfo.InvariantCulture)
            : null;
        var ip = RateLimitGate.IpKey(httpContext);
        return RateLimitPartition.Get(ip + "|" + user, _ => new RedisRateLimiter(policy, ip, user, gate));
    }
}

/// <summary>One partition's limiter; it holds no state, Redis does.</summary>
internal sealed class RedisRateLimiter(string policy, string ip, string? user, RateLimitGate gate) : RateLimiter
{
    private static readonly RateLimitLease Pending = new Lease(false, null);

    // Always idle: nothing is held in memory, so the partition may be dropped at any time.
    public override TimeSpan? IdleDuration => TimeSpan.Zero;

    public override RateLimiterStatistics? GetStatistics() => null;

    // The decision needs a Redis round trip: the synchronous attempt declines so that the
    // middleware goes on to AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Pending;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var decision = await gate.CheckAsync(policy, ip, user);
        return new Lease(decision.Allowed, decision.Allowed ? null : decision.RetryAfter);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
