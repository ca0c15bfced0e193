using System.Text.Json;
using Npgsql;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace MestresCafe.Server.Health;

public static class HealthHostingExtensions
{
    private const string ReadyTag = "ready";

    /// <summary>The checks each server's system_health snapshot runs (SystemHealthRecorder).</summary>
    public const string SnapshotTag = "snapshot";

    /// <summary>
    /// Liveness says the process answers. Readiness checks PostgreSQL and the silo (unhealthy when
    /// either is down) and Redis (only degraded: Redis is a cache and a limiter, so the API keeps
    /// serving from PostgreSQL without it).
    /// </summary>
    public static WebApplicationBuilder AddMestresHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            // The server's own data source: the check holds no pool of its own.
            .AddNpgSql(services => services.GetRequiredService<NpgsqlDataSource>(), name: "postgres", tags: [ReadyTag, SnapshotTag], timeout: TimeSpan.FromSeconds(3))
            .AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(), name: "redis",
                failureStatus: HealthStatus.Degraded, tags: [ReadyTag, SnapshotTag], timeout: TimeSpan.FromSeconds(2))
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag, SnapshotTag])
            // Not part of readiness: without the relay mail waits, the store still sells.
            .AddCheck<SmtpHealthCheck>("smtp", tags: [SnapshotTag], timeout: TimeSpan.FromSeconds(10));
        return builder;
    }

    public static WebApplication MapMestresHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson })
            .WithTags("Health").ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJson })
            .WithTags("Health").ExcludeFromDescription();
        return app;
    }

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description ?? e.Value.Exception?.Message,
                    durationMs = e.Value.Duration.TotalMilliseconds,
                    data = e.Value.Data,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
