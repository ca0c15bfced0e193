using MestresCafe.Cart;

namespace MestresCafe.Grains.Cart;

[GenerateSerializer, Alias("mc.CartState")]
public sealed class CartState
{
    /// <summary>Lines in the order they were first added.</summary>
    [Id(0)] public List<CartLine> Lines { get; set; } = [];
    [Id(1)] public long Version { get; set; }
    /// <summary>The version last written to shopping_cart; behind <see cref="Version"/> means a projection is due.</summary>
    [Id(2)] public long ProjectedVersion { get; set; }
}
