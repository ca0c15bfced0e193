using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MestresCafe.Data.Observability;

namespace MestresCafe.Server.Observability;

/// <summary>
/// Between the loggers and the writer: bounded, so a storm of errors (the database away, every
/// request failing) costs a fixed amount of memory; full, it drops the newest entry and counts it
/// (<c>mestrescafe.system_logs.dropped</c>). A logger never waits on it.
/// </summary>
public sealed class SystemLogQueue
{
    public const string MeterName = "MestresCafe.SystemLogs";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>(
        "mestrescafe.system_logs.dropped", unit: "{entry}", description: "Warnings and errors not written to system_logs: the queue was full or the write failed.");
    private static readonly Counter<long> Written = Meter.CreateCounter<long>(
        "mestrescafe.system_logs.written", unit: "{entry}", description: "Warnings and errors written to system_logs.");

    private readonly Channel<SystemLogEntry> _channel;
    private long _dropped;

    public SystemLogQueue(int capacity)
    {
        _channel = Channel.CreateBounded<SystemLogEntry>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => CountDropped(1));
    }

    public ChannelReader<SystemLogEntry> Reader => _channel.Reader;

    /// <summary>Entries dropped since the start, for the tests and the health snapshot.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    public void Enqueue(SystemLogEntry entry) => _channel.Writer.TryWrite(entry);

    public void CountDropped(int count)
    {
        Interlocked.Add(ref _dropped, count);
        Dropped.Add(count);
    }

    public static void CountWritten(int count) => Written.Add(count);

    /// <summary>No more entries: the writer drains what is left and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
