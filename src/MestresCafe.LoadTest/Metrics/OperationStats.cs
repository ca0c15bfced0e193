using HdrHistogram;

namespace MestresCafe.LoadTest.Metrics;

/// <summary>
/// Latencies of one kind of operation. Workers record into a shared recorder without locks; the
/// histogram keeps microseconds up to one minute at three significant digits.
/// </summary>
public sealed class OperationStats(string name)
{
    private readonly Recorder _recorder = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1).WithValuesUpTo(60_000_000).WithPrecisionOf(3).WithThreadSafeWrites().WithThreadSafeReads().Create();
    private readonly HistogramBase _total = new LongHistogram(60_000_000, 3);
    private long _ok;
    private long _errors;
    private long _rejected;

    public string Name { get; } = name;
    public long Ok => Interlocked.Read(ref _ok);
    public long Errors => Interlocked.Read(ref _errors);
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Records one completed call: ok, rejected by a business rule (409, sold out), or an error.</summary>
    public void Record(long startTimestamp, Outcome outcome)
    {
        var micros = (long)System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;
        _recorder.RecordValue(Math.Clamp(micros, 1, 60_000_000));
        _ = outcome switch
        {
            Outcome.Ok => Interlocked.Increment(ref _ok),
            Outcome.Rejected => Interlocked.Increment(ref _rejected),
            _ => Interlocked.Increment(ref _errors),
        };
    }

    /// <summary>Folds the interval since the last call into the total; the progress line shows the interval.</summary>
    public HistogramBase TakeInterval()
    {
        lock (_total)
        {
            var interval = _recorder.GetIntervalHistogram();
            _total.Add(interval);
            return interval;
        }
    }

    public OperationSummary Summarize(TimeSpan elapsed)
    {
        TakeInterval();
        lock (_total)
        {
            double Ms(double percentile) => _total.TotalCount == 0 ? 0 : _total.GetValueAtPercentile(percentile) / 1000.0;
            var total = Ok + Errors + Rejected;
            return new OperationSummary(
                Name, total, Ok, Rejected, Errors,
                Math.Round(total / Math.Max(elapsed.TotalSeconds, 0.001), 1),
                Math.Round(Ok / Math.Max(elapsed.TotalSeconds, 0.001), 1),
                Ms(50), Ms(95), Ms(99),
                _total.TotalCount == 0 ? 0 : _total.GetMaxValue() / 1000.0);
        }
    }
}

public enum Outcome
{
    Ok,
    Rejected,
    Error,
}

public sealed record OperationSummary(
    string Operation,
    long Count,
    long Ok,
    long Rejected,
    long Errors,
    double PerSecond,
    double OkPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs);
