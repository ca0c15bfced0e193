using System.ComponentModel.DataAnnotations;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Orders;

/// <summary>The order rules a store changes while it runs (<c>Orders</c>; live setting <c>returns.window_days</c>).</summary>
public sealed class OrderOptions
{
    public const string Section = "Orders";

    /// <summary>
    /// How long after delivery a customer may ask to return. The Código de Defesa do Consumidor
    /// gives 7 days for purchases made online; the store gives 30.
    /// </summary>
    [Range(typeof(TimeSpan), "7.00:00:00", "365.00:00:00")]
    public TimeSpan ReturnWindow { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>The settings one order decision reads: its return window and the shipping prices.</summary>
public sealed record OrderPolicy(TimeSpan ReturnWindow, ShippingPrices Shipping)
{
    public static readonly OrderPolicy Default = new(new OrderOptions().ReturnWindow, new ShippingPrices());
}
