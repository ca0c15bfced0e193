namespace MestresCafe.Server.Hosting;

public static class LoggingHostingExtensions
{
    /// <summary>
    /// Structured logs: one JSON object per event on stdout unless Logging:Console:FormatterName
    /// says otherwise (the run script uses "simple" for people).
    /// </summary>
    public static WebApplicationBuilder AddMestresLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        var formatter = builder.Configuration["Logging:Console:FormatterName"];
        if (string.Equals(formatter, "simple", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            builder.Logging.AddJsonConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "O";
            });
        }

        return builder;
    }
}
