using System.Collections.Concurrent;

namespace MestresCafe.LoadTest.Invariants;

/// <summary>
/// What the harness set up and what clients were told succeeded during a run: the record the
/// invariant checker holds the system to.
/// </summary>
public sealed class RunLedger
{
    private readonly ConcurrentDictionary<string, long> _acknowledgedUnits = new();
    private readonly ConcurrentBag<(string ItemKey, Guid Id)> _reservations = [];
    private readonly ConcurrentBag<string> _orders = [];

    public ConcurrentDictionary<string, long> InitialStock { get; } = new();
    public ConcurrentBag<string> CouponCodes { get; } = [];

    /// <summary>
    /// The run's payments confirm by themselves (card charges with the gateway's webhook), so the
    /// checker waits for every order to be paid before it counts points.
    /// </summary>
    public bool PaymentsConfirm { get; set; }

    public IReadOnlyCollection<(string ItemKey, Guid Id)> Reservations => _reservations;
    public IReadOnlyCollection<string> Orders => _orders;

    public long AcknowledgedUnits(string sku) => _acknowledgedUnits.GetValueOrDefault(sku);

    public void AcknowledgedReservation(string sku, string itemKey, Guid id, int quantity)
    {
        _reservations.Add((itemKey, id));
        _acknowledgedUnits.AddOrUpdate(sku, quantity, (_, units) => units + quantity);
    }

    public void AcknowledgedOrder(string orderNumber, IEnumerable<(string Sku, int Quantity)> lines)
    {
        _orders.Add(orderNumber);
        foreach (var (sku, quantity) in lines)
        {
            _acknowledgedUnits.AddOrUpdate(sku, quantity, (_, units) => units + quantity);
        }
    }
}
