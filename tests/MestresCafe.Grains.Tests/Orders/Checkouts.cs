using MestresCafe.Cart;
using MestresCafe.Grains.Tests.Infrastructure;
using MestresCafe.Inventory;
using MestresCafe.Orders;
using MestresCafe.Testing;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>Builds checkout commands the way the API does, for grain-level tests.</summary>
internal static class Checkouts
{
    public static readonly Address SaoPaulo = new("Ana Souza", "Avenida Paulista", "1000", "apto 42", "Bela Vista", "São Paulo", "SP", "01310100", null);

    /// <summary>
    /// Puts the lines into a cart of the order's own (so that parallel checkouts of one customer do
    /// not share one) through the cart grain, as a shopper would, and builds the command that names it.
    /// </summary>
    public static async Task<CheckoutCommand> CommandAsync(
        IGrainFactory grains, long userId, string key, IReadOnlyList<CheckoutLine> lines, string? coupon = null,
        PaymentMethodKind method = PaymentMethodKind.CreditCard, string? cardToken = "tok_visa", string hash = "body-1")
    {
        var cartKey = CartKey.ForVisitor($"{userId}-{key}");
        var cart = grains.GetGrain<ICartGrain>(cartKey);
        foreach (var line in lines)
        {
            Assert.Equal(CartUpdateOutcome.Updated, (await cart.SetQuantityAsync(line.Sku, line.Quantity)).Outcome);
        }

        return new(userId, key, hash, coupon, method, cardToken, SaoPaulo, null, ShippingMethods.Pac, cartKey);
    }

    public static IOrderGrain Order(this IClusterClient client, long userId, string key) =>
        client.GetGrain<IOrderGrain>(OrderNumbers.For(userId, key));

    public static PaymentEvent Captured(OrderSnapshot order, string? eventId = null) =>
        new(eventId ?? "evt_" + Guid.NewGuid().ToString("N"), "payment.captured", order.Payment!.GatewayTransactionId!, order.Totals.Total, DateTimeOffset.UtcNow);

    public static PaymentEvent Failed(OrderSnapshot order, string? eventId = null) =>
        new(eventId ?? "evt_" + Guid.NewGuid().ToString("N"), "payment.failed", order.Payment!.GatewayTransactionId!, order.Totals.Total, DateTimeOffset.UtcNow);

    /// <summary>A new sellable item with its stock, named with <paramref name="prefix"/> so a test's items are recognisable.</summary>
    public static async Task<string> NewItemAsync(this PostgresCluster cluster, string prefix, int stock, decimal price)
    {
        var sku = prefix + "-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await cluster.Database.InsertItemAsync(sku, stock, price);
        return sku;
    }

    public static IInventoryItemGrain Inventory(this IClusterClient client, string sku) =>
        client.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku));

    public static async Task<(int Available, int Reserved)> StockAsync(this IClusterClient client, string sku)
    {
        var snapshot = (await client.Inventory(sku).GetAsync())!;
        return (snapshot.Available, snapshot.Reserved);
    }
}
