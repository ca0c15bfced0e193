using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Server.Observability;

/// <summary>
/// Where metrics and traces go. <c>/metrics</c> (Prometheus text) is served only when
/// <see cref="MetricsPort"/> or <see cref="MetricsBearerToken"/> (or both) is set: on that port alone
/// (the server must listen on it too, e.g. <c>--urls "http://0.0.0.0:8080;http://0.0.0.0:9464"</c>,
/// and only the cluster's own network reaches it) and/or with that bearer token. OTLP export of
/// metrics and traces is on when <see cref="OtlpEndpoint"/> is set.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The local port whose connections may read <c>/metrics</c>; others get a 404.</summary>
    [Range(1, 65535)]
    public int? MetricsPort { get; set; }

    /// <summary>A secret (at least 32 bytes) a scraper sends as <c>Authorization: Bearer ...</c>.</summary>
    public string? MetricsBearerToken { get; set; }

    /// <summary>An OTLP collector (e.g. http://otel-collector:4317); the standard OTEL_EXPORTER_OTLP_* variables refine it.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// Share of new traces kept when exporting traces (a request that arrives with a sampled parent
    /// is always kept). Tracing costs an activity per grain call and database command on the buying
    /// path, so it is sampled, and off entirely when no OTLP endpoint is set.
    /// </summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 0.05;

    /// <summary>How often the gauges read from PostgreSQL (dead letters, mail queue, default partitions) are refreshed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GaugeInterval { get; set; } = TimeSpan.FromSeconds(15);

    public bool MetricsEndpointEnabled => MetricsPort is not null || !string.IsNullOrEmpty(MetricsBearerToken);
}
