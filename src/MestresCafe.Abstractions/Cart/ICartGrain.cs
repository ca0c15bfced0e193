namespace MestresCafe.Cart;

/// <summary>
/// One shopping cart: a signed-in user's (<see cref="CartKey.ForUser"/>) or an anonymous visitor's
/// (<see cref="CartKey.ForVisitor"/>), which merges into the user's cart at login. Quantities are
/// checked against available stock without reserving it; prices are read from the catalog when
/// the cart is shown, never stored from the client.
/// </summary>
public interface ICartGrain : IGrainWithStringKey
{
    Task<CartSnapshot> GetAsync();

    /// <summary>Adds <paramref name="quantity"/> units of an item to what the cart already holds.</summary>
    Task<CartUpdateResult> AddAsync(string sku, int quantity);

    /// <summary>Sets an item's quantity; 0 removes it.</summary>
    Task<CartUpdateResult> SetQuantityAsync(string sku, int quantity);

    Task<CartSnapshot> RemoveAsync(string sku);

    Task<CartSnapshot> ClearAsync();

    /// <summary>
    /// Checkout's clear, once <paramref name="orderNumber"/> is placed: answered as soon as the cart
    /// is empty in memory (every later call sees it empty), written after the answer; the next
    /// change waits for that write. The order is already durable: a clear whose write fails leaves
    /// the lines in the cart, as a failed clear always did.
    /// </summary>
    Task ClearForOrderAsync(string orderNumber);

    /// <summary>
    /// Moves every line of a visitor's cart into this user's cart and empties it; any other pair of
    /// carts is refused (<see cref="CartKey.CanMerge"/>).
    /// </summary>
    Task<CartSnapshot> MergeFromAsync(string otherCartKey);
}

public static class CartKey
{
    public const int MaxQuantityPerLine = 999;

    public static string ForUser(long userId) => $"u:{userId}";

    public static string ForVisitor(string cartId) => $"s:{cartId}";

    public static bool IsVisitor(string key) => key.StartsWith("s:", StringComparison.Ordinal);

    public static bool IsUser(string key) => key.StartsWith("u:", StringComparison.Ordinal);

    /// <summary>Only a visitor's cart is ever merged, and only into a signed-in user's cart.</summary>
    public static bool CanMerge(string fromKey, string intoKey) => IsVisitor(fromKey) && IsUser(intoKey);
}

[GenerateSerializer, Alias("mc.CartLine")]
public sealed record CartLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] long ProductId,
    [property: Id(2)] long? VariantId,
    [property: Id(3)] int Quantity);

[GenerateSerializer, Alias("mc.CartSnapshot")]
public sealed record CartSnapshot(
    [property: Id(0)] IReadOnlyList<CartLine> Lines,
    [property: Id(1)] long Version);

[GenerateSerializer, Alias("mc.CartUpdateOutcome")]
public enum CartUpdateOutcome
{
    Updated = 0,
    UnknownItem = 1,
    InvalidQuantity = 2,
    InsufficientStock = 3,
}

[GenerateSerializer, Alias("mc.CartUpdateResult")]
public sealed record CartUpdateResult(
    [property: Id(0)] CartUpdateOutcome Outcome,
    [property: Id(1)] CartSnapshot Cart,
    [property: Id(2)] int Available);
