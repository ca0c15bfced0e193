using MestresCafe.Data.Configuration;
using MestresCafe.Data.Observability;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MestresCafe.Server.Observability;

public static class TelemetryHostingExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// OpenTelemetry metrics (ASP.NET Core, HttpClient, Npgsql, the .NET runtime, Orleans and the
    /// product's own meters) for the Prometheus scrape and, when configured, OTLP; traces only when
    /// an OTLP endpoint is configured, sampled, because they cost an activity per grain call and
    /// database command on the buying path.
    /// </summary>
    public static WebApplicationBuilder AddMestresTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.MetricsBearerToken is null || SecretSetting.IsStrong(o.MetricsBearerToken),
                $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.MetricsBearerToken)} must be at least {SecretSetting.MinimumBytes} bytes when set.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();

        builder.Services.AddSingleton<OperationsQuery>();
        builder.Services.AddSingleton<OperationsGauges>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OperationsGauges>());

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mestrescafe", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(MestresMeters.Orleans)
                    .AddMeter(MestresMeters.Product)
                    .AddPrometheusExporter();
                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }
            });

        if (options.OtlpEndpoint is { } traceEndpoint)
        {
            telemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http => !http.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(MestresMeters.OrleansSources)
                .AddOtlpExporter(otlp => otlp.Endpoint = traceEndpoint));
            // Orleans creates activities for grain calls only when asked to.
            builder.UseOrleans(silo => silo.AddActivityPropagation());
        }

        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> for Prometheus, only on the internal port and/or with the bearer token (see
    /// <see cref="TelemetryOptions"/>); not served at all when neither is configured.
    /// </summary>
    public static WebApplication MapMestresMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value;
        if (!options.MetricsEndpointEnabled)
        {
            app.Logger.LogInformation("/metrics is not served: set {Port} or {Token} to serve it",
                $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.MetricsPort)}", $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.MetricsBearerToken)}");
            return app;
        }

        var access = new MetricsAccess(options.MetricsPort, options.MetricsBearerToken);
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch =>
                branch.Use(async (http, next) =>
                {
                    var status = access.Check(http.Connection.LocalPort, http.Request.Headers.Authorization);
                    if (status != StatusCodes.Status200OK)
                    {
                        http.Response.StatusCode = status;
                        if (status == StatusCodes.Status401Unauthorized)
                        {
                            http.Response.Headers.WWWAuthenticate = "Bearer";
                        }

                        return;
                    }

                    await next(http);
                }), optionsName: null)
            .ExcludeFromDescription();
        return app;
    }
}
