using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Catalog.Caching;

public static class CacheMetricsApi
{
    public static RouteGroupBuilder MapCacheMetricsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/metrics").WithTags("Metrics").RequirePermission("reports:read");
        group.MapGet("/cache", (CacheMetrics metrics) => TypedResults.Ok(metrics.Snapshot()))
            .WithName("GetCacheMetrics")
            .WithSummary("Catalog cache hits, misses and hit rate of this server since it started, per layer (data, response).");
        return group;
    }
}
