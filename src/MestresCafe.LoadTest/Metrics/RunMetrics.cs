using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MestresCafe.LoadTest.Metrics;

/// <summary>The operations of one scenario run, with a live progress line once a second.</summary>
public sealed class RunMetrics(string scenario, TextWriter? progress)
{
    private readonly ConcurrentDictionary<string, OperationStats> _operations = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public string Scenario { get; } = scenario;
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Ends the measured interval: rates exclude the invariant check that follows the traffic.</summary>
    public void Stop() => _clock.Stop();

    /// <summary>Starts the measured interval again (after a warm-up and the idle measurement).</summary>
    public void Restart() => _clock.Restart();

    public OperationStats Operation(string name) => _operations.GetOrAdd(name, n => new OperationStats(n));

    /// <summary>Prints ops/s and p99 of the last second for every operation until cancelled.</summary>
    public async Task ReportProgressAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var parts = _operations.Values.OrderBy(o => o.Name).Select(o =>
                {
                    var interval = o.TakeInterval();
                    var p99 = interval.TotalCount == 0 ? 0 : interval.GetValueAtPercentile(99) / 1000.0;
                    return string.Create(CultureInfo.InvariantCulture, $"{o.Name} {interval.TotalCount}/s p99 {p99:0.0}ms err {o.Errors}");
                });
                progress?.WriteLine($"[{Scenario} {_clock.Elapsed.TotalSeconds:0}s] {string.Join(" | ", parts)}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public ScenarioResult Finish(IReadOnlyDictionary<string, string>? parameters = null, InvariantSummary? invariants = null)
    {
        var elapsed = _clock.Elapsed;
        return new ScenarioResult(
            Scenario,
            DateTimeOffset.UtcNow,
            Math.Round(elapsed.TotalSeconds, 2),
            parameters ?? new Dictionary<string, string>(),
            _operations.Values.OrderBy(o => o.Name).Select(o => o.Summarize(elapsed)).ToList(),
            invariants);
    }
}

public sealed record ScenarioResult(
    string Scenario,
    DateTimeOffset FinishedAt,
    double Seconds,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<OperationSummary> Operations,
    InvariantSummary? Invariants,
    MestresCafe.LoadTest.Cost.CostSummary? Cost = null,
    MestresCafe.LoadTest.Scenarios.OpenLoopSummary? OpenLoop = null)
{
    public string ToTable()
    {
        var lines = new List<string>
        {
            $"{Scenario} ({Seconds:0.0} s) {string.Join(' ', Parameters.Select(p => $"{p.Key}={p.Value}"))}",
            string.Format(CultureInfo.InvariantCulture, "{0,-22}{1,10}{2,10}{3,10}{4,8}{5,12}{6,9}{7,9}{8,9}{9,9}", "operation", "count", "ok", "rejected", "errors", "ok/s", "p50 ms", "p95 ms", "p99 ms", "max ms"),
        };
        lines.AddRange(Operations.Select(o => string.Format(CultureInfo.InvariantCulture,
            "{0,-22}{1,10}{2,10}{3,10}{4,8}{5,12:0.0}{6,9:0.00}{7,9:0.00}{8,9:0.00}{9,9:0.0}",
            o.Operation, o.Count, o.Ok, o.Rejected, o.Errors, o.OkPerSecond, o.P50Ms, o.P95Ms, o.P99Ms, o.MaxMs)));
        if (OpenLoop is not null)
        {
            lines.Add(OpenLoop.ToLine());
        }

        if (Cost is not null)
        {
            lines.Add(Cost.ToLine());
        }

        if (Invariants is not null)
        {
            lines.Add(Invariants.Passed ? $"invariants: PASS ({Invariants.Checked} checks)" : "invariants: FAIL");
            lines.AddRange(Invariants.Violations.Select(v => "  violation: " + v));
            lines.AddRange(Invariants.Notes.Select(n => "  " + n));
        }

        return string.Join(Environment.NewLine, lines);
    }
}

public sealed record InvariantSummary(bool Passed, int Checked, IReadOnlyList<string> Violations, IReadOnlyList<string> Notes);
