namespace MestresCafe.Server.Hosting;

public static class LoggingHostingExtensions
{
    /// <summary>
    /// Structured logs: one JSON object per event on stdout unless Logging:Console:FormatterName
    /// says otherwise (the run script uses "simple" for people). Scopes are written, so each line
    /// logged while a request or a traced call runs carries its TraceId and SpanId.
    /// </summary>
    public static WebApplicationBuilder AddMestresLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var formatter = builder.Configuration["Logging:Console:FormatterName"];
        if (string.Equals(formatter, "simple", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.IncludeScopes = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            builder.Logging.AddJsonConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.IncludeScopes = true;
                console.TimestampFormat = "O";
            });
        }

        return builder;
    }
}
