using System.Diagnostics.Metrics;
using MestresCafe.Inventory;

namespace MestresCafe.Grains.Inventory;

/// <summary>Stock reservations by outcome, under the meter <c>MestresCafe.Inventory</c>.</summary>
public static class InventoryMetrics
{
    public const string MeterName = "MestresCafe.Inventory";
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Reservations = Meter.CreateCounter<long>(
        "mestrescafe.inventory.reservations", unit: "{reservation}",
        description: "Reservation calls answered by inventory item grains, tagged with the outcome (reserved or the refusal).");

    private static readonly Counter<long> ReservedUnits = Meter.CreateCounter<long>(
        "mestrescafe.inventory.reserved_units", unit: "{unit}", description: "Units held by successful reservations.");

    /// <summary>The tag is the outcome's cached snake_case name: nothing is allocated per reservation.</summary>
    public static void Record(ReservationResult result, int quantity)
    {
        Reservations.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToSnakeCase()));
        if (result.Succeeded)
        {
            ReservedUnits.Add(quantity);
        }
    }
}
