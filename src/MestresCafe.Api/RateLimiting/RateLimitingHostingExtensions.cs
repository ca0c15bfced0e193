using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.RateLimiting;

public static class RateLimitingHostingExtensions
{
    /// <summary>Redis-backed limits: the gate for handlers and the named middleware policies.</summary>
    public static IHostApplicationBuilder AddMestresRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        builder.Services.AddSingleton<RedisSlidingWindow>();
        builder.Services.AddSingleton<RateLimitGate>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<RateLimitGate>((options, gate) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = WriteRejectionAsync;
            options.AddPolicy(RateLimitPolicies.Checkout, new DistributedRateLimiterPolicy(RateLimitPolicies.Checkout, gate));
            options.AddPolicy(RateLimitPolicies.Comments, new DistributedRateLimiterPolicy(RateLimitPolicies.Comments, gate));
        });
        return builder;
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        http.Response.Headers.RetryAfter = RateLimitGate.RetryAfterSeconds(retryAfter);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = "The rate limit for this operation was reached; retry after the number of seconds in Retry-After.",
            },
        });
    }
}
