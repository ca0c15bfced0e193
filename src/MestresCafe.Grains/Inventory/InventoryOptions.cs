namespace MestresCafe.Grains.Inventory;

public sealed class InventoryOptions
{
    public const string Section = "Inventory";

    /// <summary>
    /// Batch the changes that arrive while a state write is in flight into the next write (on), or
    /// give every change a write of its own (off: the baseline the benchmarks compare against).
    /// </summary>
    public bool GroupCommit { get; set; } = true;
}
