namespace MestresCafe.Orders;

/// <summary>
/// The cluster's one sweeper of due orders (key 0): it wakes the order grains that no server holds
/// and that may have work due, an unpaid order past its payment window or an outbox not yet drained
/// after a crash; each order decides for itself. Kept alive by one reminder, so it moves to another
/// server when its own dies.
/// </summary>
public interface IOrderSweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the sweeper's reminder if needed and starts it; every silo calls it at start.</summary>
    Task StartAsync();
}
