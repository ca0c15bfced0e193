namespace MestresCafe.Grains.Storage;

public sealed class GrainStorageOptions
{
    public const string Section = "GrainStorage";

    /// <summary>
    /// Send the state writes that arrive while earlier ones are committing together, as one
    /// transaction (on), or give every write a transaction of its own (off: the provider's path,
    /// the baseline the benchmarks compare against).
    /// </summary>
    public bool BatchWrites { get; set; } = true;

    /// <summary>
    /// Batches committing at once. One gives the largest batches (everything that arrives during a
    /// commit goes into the next); more lowers the wait behind a slow commit.
    /// </summary>
    public int BatchesInFlight { get; set; } = 2;

    /// <summary>Writes in one batch at most (one PostgreSQL round trip).</summary>
    public int MaxBatchSize { get; set; } = 64;
}
