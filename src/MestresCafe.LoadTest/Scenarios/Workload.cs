namespace MestresCafe.LoadTest.Scenarios;

/// <summary>Bounds of a run: it stops at whichever comes first, the count or the duration.</summary>
public sealed record Bounds(int Concurrency, TimeSpan Duration, long MaxOperations);

/// <summary>Runs <c>Concurrency</c> closed-loop workers until the bounds are reached.</summary>
public static class Workload
{
    public static async Task RunAsync(Bounds bounds, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(bounds.Duration);
        long issued = 0;
        var workers = Enumerable.Range(0, bounds.Concurrency).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= bounds.MaxOperations)
            {
                await operation(worker, stop.Token);
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers);
    }
}
