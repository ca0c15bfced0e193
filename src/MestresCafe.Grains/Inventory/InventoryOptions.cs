namespace MestresCafe.Grains.Inventory;

public sealed class InventoryOptions
{
    public const string Section = "Inventory";

    /// <summary>
    /// Long enough for any retry of an order's commit (payment webhooks are retried for days), short
    /// enough that a best seller's state does not carry every sale it ever made.
    /// </summary>
    public static readonly TimeSpan DefaultCommittedRetention = TimeSpan.FromDays(30);

    /// <summary>
    /// Batch the changes that arrive while a state write is in flight into the next write (on), or
    /// give every change a write of its own (off: the baseline the benchmarks compare against).
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>
    /// Write the full state (the snapshot) after this many log records; between snapshots a write
    /// holds only its batch's movements. At most <see cref="InventoryLog.RingSize"/>.
    /// </summary>
    public int SnapshotEvery { get; set; } = InventoryLog.RingSize;

    /// <summary>
    /// Log writes of one item in flight at once (pipelining): a batch's record is written while the
    /// previous one is still committing, and acknowledged once both are durable. With more in
    /// flight the snapshot is written more often (every RingSize + 1 - WritesInFlight records at
    /// most), so that a slot is never reused while the record in it may still be needed.
    /// </summary>
    public int WritesInFlight { get; set; } = 2;

    /// <summary>How long a committed reservation id is remembered, so that a retried commit stays idempotent.</summary>
    public TimeSpan CommittedRetention { get; set; } = DefaultCommittedRetention;
}
