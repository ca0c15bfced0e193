using System.Diagnostics;
using System.Text.Json;
using MestresCafe.Data.Observability;

namespace MestresCafe.Server.Observability;

/// <summary>
/// A logger provider that copies warnings and errors (from <see cref="SystemLogOptions.MinimumLevel"/>)
/// into system_logs through <see cref="SystemLogQueue"/>: the log call formats the entry and hands
/// it over, nothing more; the writer batches the inserts. The writer's own category is left out so
/// that a failing write cannot feed itself.
/// </summary>
[ProviderAlias("SystemLogs")]
public sealed class SystemLogProvider(SystemLogQueue queue, TimeProvider clock, Microsoft.Extensions.Options.IOptions<SystemLogOptions> options) : ILoggerProvider
{
    private readonly LogLevel _minimum = options.Value.MinimumLevel;
    private readonly SystemLogQueue _queue = queue;
    private readonly TimeProvider _clock = clock;

    public ILogger CreateLogger(string categoryName) =>
        categoryName == typeof(SystemLogWriter).FullName ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance : new SystemLogger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class SystemLogger(string category, SystemLogProvider provider) : ILogger
    {
        // Longer values are cut: the columns are bounded and a log line is not a document.
        private const int MaxCategory = 100;
        private const int MaxEventName = 200;
        private const int MaxValue = 2000;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var context = new Dictionary<string, string?>();
            if (state is IReadOnlyList<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    if (key != "{OriginalFormat}")
                    {
                        context[key] = Cut(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), MaxValue);
                    }
                }
            }

            if (exception is not null)
            {
                context["exception"] = Cut(exception.ToString(), 8 * MaxValue);
            }

            var activity = Activity.Current;
            provider._queue.Enqueue(new SystemLogEntry(
                LevelName(logLevel),
                formatter(state, exception),
                Cut(category, MaxCategory)!,
                Cut(eventId.Name, MaxEventName),
                JsonSerializer.Serialize(context),
                activity is null ? null : activity.TraceId.ToHexString(),
                provider._clock.GetUtcNow()));
        }

        private static string? Cut(string? value, int max) => value is { Length: var n } && n > max ? value[..max] : value;
    }

    /// <summary>The level as the table's CHECK spells it.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };
}
