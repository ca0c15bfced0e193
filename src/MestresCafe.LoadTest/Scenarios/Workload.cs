namespace MestresCafe.LoadTest.Scenarios;

/// <summary>
/// Bounds of a run: it stops at whichever comes first, the count or the duration. With a rate the
/// run is open-loop (<see cref="OpenLoopSchedule"/>) and Concurrency caps the requests in flight.
/// CostSettle is how long the cost probe waits after the traffic before its closing snapshot, CostIdle
/// how long it measures the idle servers' background before the traffic. Warmup is closed-loop
/// traffic before any measurement, so that the figures are the servers' steady state rather than
/// their just-in-time compilation and first activations.
/// </summary>
public sealed record Bounds(int Concurrency, TimeSpan Duration, long MaxOperations, double? Rate = null, TimeSpan? CostSettle = null, TimeSpan? CostIdle = null)
{
    public TimeSpan Warmup { get; init; }

    public TimeSpan Settle => CostSettle ?? TimeSpan.FromSeconds(11);
    public TimeSpan Idle => CostIdle ?? TimeSpan.FromSeconds(5);
}

/// <summary>Runs <c>Concurrency</c> workers, closed-loop or on an open-loop schedule, until the bounds are reached.</summary>
public static class Workload
{
    public static Task RunAsync(Bounds bounds, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken = default) =>
        RunAsync(bounds, (worker, _, stop) => operation(worker, stop), cancellationToken: cancellationToken);

    /// <summary>
    /// The operation receives the Stopwatch timestamp its latency counts from: now in a closed loop,
    /// the due time in an open one. Returns the open-loop schedule as kept, or null for a closed loop.
    /// With <paramref name="finishStarted"/> an operation started before the end runs to its end
    /// (a multi-request session: its cost then belongs to a completed unit, not to an abandoned one).
    /// </summary>
    public static async Task<OpenLoopSummary?> RunAsync(
        Bounds bounds, Func<int, long, CancellationToken, Task> operation, bool finishStarted = false, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(bounds.Duration);
        var operationToken = finishStarted ? cancellationToken : stop.Token;
        if (bounds.Rate is { } rate)
        {
            var schedule = new OpenLoopSchedule(rate, bounds.Duration, bounds.MaxOperations);
            var start = TimeProvider.System.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, bounds.Concurrency).Select(worker => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested && schedule.TryTake(out var index))
                {
                    var wait = schedule.WaitFor(index, TimeProvider.System.GetElapsedTime(start));
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, CancellationToken.None);
                    }

                    schedule.Started(index, TimeProvider.System.GetElapsedTime(start));
                    await operation(worker, start + (long)(schedule.DueAt(index).TotalSeconds * TimeProvider.System.TimestampFrequency), operationToken);
                }
            }, CancellationToken.None)));
            return schedule.Summarize();
        }

        long issued = 0;
        var workers = Enumerable.Range(0, bounds.Concurrency).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= bounds.MaxOperations)
            {
                await operation(worker, TimeProvider.System.GetTimestamp(), operationToken);
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers);
        return null;
    }
}
