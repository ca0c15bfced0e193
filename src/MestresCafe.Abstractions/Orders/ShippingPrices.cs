namespace MestresCafe.Orders;

/// <summary>
/// What shipping costs, in BRL (<c>Shipping</c>): the one rule checkout charges and the demo sales
/// history writes. Pickup at the roastery is free; PAC is free from <see cref="FreePacFrom"/> of
/// merchandise after discount; SEDEX always costs. Orders with nothing to ship (courses) pay no
/// shipping. The live figures are the settings <c>shipping.pac_price</c>, <c>shipping.sedex_price</c>
/// and <c>shipping.free_shipping_threshold</c>; these defaults are what the store charged before.
/// </summary>
public sealed class ShippingPrices
{
    public const string Section = "Shipping";

    public decimal FreePacFrom { get; set; } = 199m;

    public decimal Pac { get; set; } = 19.90m;

    public decimal Sedex { get; set; } = 34.90m;

    public decimal For(string method, decimal merchandiseAfterDiscount, bool anythingToShip) =>
        !anythingToShip ? 0m : method switch
        {
            ShippingMethods.Pickup => 0m,
            ShippingMethods.Sedex => Sedex,
            _ => merchandiseAfterDiscount >= FreePacFrom ? 0m : Pac,
        };
}
