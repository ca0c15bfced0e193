namespace MestresCafe.Orders;

/// <summary>
/// What shipping costs, in BRL: the one rule checkout charges and the demo sales history writes.
/// Pickup at the roastery is free; PAC is free from R$ 199 of merchandise after discount; SEDEX
/// always costs. Orders with nothing to ship (courses) pay no shipping.
/// </summary>
public static class ShippingPrices
{
    public const decimal FreePacFrom = 199m;
    public const decimal Pac = 19.90m;
    public const decimal Sedex = 34.90m;

    public static decimal For(string method, decimal merchandiseAfterDiscount, bool anythingToShip) =>
        !anythingToShip ? 0m : method switch
        {
            ShippingMethods.Pickup => 0m,
            ShippingMethods.Sedex => Sedex,
            _ => merchandiseAfterDiscount >= FreePacFrom ? 0m : Pac,
        };
}
