namespace MestresCafe.LoadTest.Scenarios;

/// <summary>
/// Bounds of a run: it stops at whichever comes first, the count or the duration. With a rate the
/// run is open-loop (<see cref="OpenLoopSchedule"/>) and Concurrency caps the requests in flight.
/// CostSettle is how long the cost probe waits after the traffic before its closing snapshot.
/// </summary>
public sealed record Bounds(int Concurrency, TimeSpan Duration, long MaxOperations, double? Rate = null, TimeSpan? CostSettle = null)
{
    public TimeSpan Settle => CostSettle ?? TimeSpan.FromSeconds(11);
}

/// <summary>Runs <c>Concurrency</c> workers, closed-loop or on an open-loop schedule, until the bounds are reached.</summary>
public static class Workload
{
    public static Task RunAsync(Bounds bounds, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken = default) =>
        RunAsync(bounds, (worker, _, stop) => operation(worker, stop), cancellationToken);

    /// <summary>
    /// The operation receives the Stopwatch timestamp its latency counts from: now in a closed loop,
    /// the due time in an open one. Returns the open-loop schedule as kept, or null for a closed loop.
    /// </summary>
    public static async Task<OpenLoopSummary?> RunAsync(Bounds bounds, Func<int, long, CancellationToken, Task> operation, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(bounds.Duration);
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
                    await operation(worker, start + (long)(schedule.DueAt(index).TotalSeconds * TimeProvider.System.TimestampFrequency), stop.Token);
                }
            }, CancellationToken.None)));
            return schedule.Summarize();
        }

        long issued = 0;
        var workers = Enumerable.Range(0, bounds.Concurrency).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= bounds.MaxOperations)
            {
                await operation(worker, TimeProvider.System.GetTimestamp(), stop.Token);
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers);
        return null;
    }
}
