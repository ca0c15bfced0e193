using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Security;
using MestresCafe.Cart;
using MestresCafe.Customers;
using MestresCafe.Data.Customers;
using MestresCafe.Data.Pricing;
using MestresCafe.Inventory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Cart;

/// <summary>
/// The shopping cart. A signed-in customer has one cart; an anonymous visitor's first cart call
/// gets a cart token in the <c>X-Cart-Id</c> response header (<see cref="VisitorCartTokens"/>), sends
/// it back on every later call, and merges the cart at login. Ids the server did not issue are 404s.
/// </summary>
public static class CartApi
{
    public const string VisitorHeader = "X-Cart-Id";
    internal const int MaxSkuLength = 64;
    internal const string SkuMessage = "Required, at most 64 characters.";

    public static void MapCartApi(this RouteGroupBuilder api)
    {
        var cart = api.MapGroup("/cart").WithTags("Cart");
        // Every cart operation answers 404 for an X-Cart-Id this store did not issue (UnknownCart).
        cart.MapGet("/", GetAsync).WithName("GetCart").WithSummary("The cart with current catalog prices and stock.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // 404 also for a SKU not for sale; 409 for more units than are available.
        cart.MapPost("/items", AddAsync).WithName("AddCartItem").WithSummary("Adds units of an item (checked against available stock, not reserved).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        cart.MapPut("/items/{sku}", SetAsync).WithName("SetCartItem").WithSummary("Sets an item's quantity; 0 removes it.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        cart.MapDelete("/items/{sku}", RemoveAsync).WithName("RemoveCartItem").WithSummary("Removes an item.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        cart.MapDelete("/", ClearAsync).WithName("ClearCart").WithSummary("Empties the cart.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        cart.MapPost("/merge", MergeAsync).RequireAuthorization()
            .WithName("MergeCart").WithSummary("Moves a visitor cart (by the X-Cart-Id token it was issued) into the signed-in customer's own cart.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<CartView>, ProblemHttpResult>> GetAsync(HttpContext http, IGrainFactory grains, RecentCatalogPrices prices, VisitorCartTokens tokens)
    {
        if (CartGrain(http, grains, tokens) is not { } cart)
        {
            return UnknownCart();
        }

        return TypedResults.Ok(await ViewAsync(await cart.GetAsync(), grains, prices, http));
    }

    private static Task<Results<Ok<CartView>, ProblemHttpResult, ValidationProblem>> AddAsync(
        AddItemRequest request, HttpContext http, IGrainFactory grains, RecentCatalogPrices prices, VisitorCartTokens tokens) =>
        UpdateAsync(http, grains, prices, tokens, request.Sku, request.Quantity, (cart, sku, quantity) => cart.AddAsync(sku, quantity));

    private static Task<Results<Ok<CartView>, ProblemHttpResult, ValidationProblem>> SetAsync(
        [Required(ErrorMessage = SkuMessage), StringLength(MaxSkuLength, ErrorMessage = SkuMessage)] string sku,
        SetQuantityRequest request, HttpContext http, IGrainFactory grains, RecentCatalogPrices prices, VisitorCartTokens tokens) =>
        UpdateAsync(http, grains, prices, tokens, sku, request.Quantity, (cart, s, quantity) => cart.SetQuantityAsync(s, quantity));

    private static async Task<Results<Ok<CartView>, ProblemHttpResult>> RemoveAsync(
        string sku, HttpContext http, IGrainFactory grains, RecentCatalogPrices prices, VisitorCartTokens tokens)
    {
        if (CartGrain(http, grains, tokens) is not { } cart)
        {
            return UnknownCart();
        }

        return TypedResults.Ok(await ViewAsync(await cart.RemoveAsync(Normalize(sku)), grains, prices, http));
    }

    private static async Task<Results<Ok<CartView>, ProblemHttpResult>> ClearAsync(HttpContext http, IGrainFactory grains, RecentCatalogPrices prices, VisitorCartTokens tokens)
    {
        if (CartGrain(http, grains, tokens) is not { } cart)
        {
            return UnknownCart();
        }

        return TypedResults.Ok(await ViewAsync(await cart.ClearAsync(), grains, prices, http));
    }

    private static async Task<Results<Ok<CartView>, ProblemHttpResult, ValidationProblem>> MergeAsync(
        MergeRequest request, HttpContext http, IGrainFactory grains, RecentCatalogPrices prices, VisitorCartTokens tokens)
    {
        if (!tokens.TryRead(request.CartId!, out var visitorCartId))
        {
            return UnknownCart();
        }

        // Only ever into the signed-in customer's own cart.
        var mine = grains.GetGrain<ICartGrain>(CartKey.ForUser(http.User.GetUserId()));
        return TypedResults.Ok(await ViewAsync(await mine.MergeFromAsync(CartKey.ForVisitor(visitorCartId)), grains, prices, http));
    }

    private static async Task<Results<Ok<CartView>, ProblemHttpResult, ValidationProblem>> UpdateAsync(
        HttpContext http, IGrainFactory grains, RecentCatalogPrices prices, VisitorCartTokens tokens, string? sku, int quantity,
        Func<ICartGrain, string, int, Task<CartUpdateResult>> update)
    {
        if (CartGrain(http, grains, tokens) is not { } cart)
        {
            return UnknownCart();
        }

        var result = await update(cart, Normalize(sku!), quantity);
        return result.Outcome switch
        {
            CartUpdateOutcome.UnknownItem => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown item", detail: $"No item with sku {sku} is for sale."),
            CartUpdateOutcome.InsufficientStock => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Insufficient stock",
                detail: $"Only {result.Available} unit(s) of {sku} are available.", extensions: new Dictionary<string, object?> { ["available"] = result.Available }),
            CartUpdateOutcome.InvalidQuantity => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = ["Invalid quantity."] }),
            _ => TypedResults.Ok(await ViewAsync(result.Cart, grains, prices, http)),
        };
    }

    /// <summary>At sign-in: the visitor cart whose token is the request's X-Cart-Id, if any, moves into the user's cart.</summary>
    public static async Task MergeVisitorCartAsync(IGrainFactory grains, HttpContext http, long userId)
    {
        var tokens = http.RequestServices.GetRequiredService<VisitorCartTokens>();
        if (tokens.TryRead(http.Request.Headers[VisitorHeader].ToString(), out var visitorCartId))
        {
            await grains.GetGrain<ICartGrain>(CartKey.ForUser(userId)).MergeFromAsync(CartKey.ForVisitor(visitorCartId));
        }
    }

    /// <summary>The cart as shown: prices from the catalog (at most <see cref="PricingOptions.CartPriceMaxAge"/> old), never stored from the client.</summary>
    private static async Task<CartView> ViewAsync(CartSnapshot cart, IGrainFactory grains, RecentCatalogPrices prices, HttpContext http)
    {
        var priced = await prices.GetAsync(cart.Lines.Select(l => l.Sku));
        // A signed-in member of a customer group sees the price checkout will charge (GroupPricing),
        // as of at most Pricing:CartPriceMaxAge ago like the catalog prices.
        var groupDiscount = http.User.Identity?.IsAuthenticated == true && cart.Lines.Count > 0
            ? await http.RequestServices.GetRequiredService<RecentGroupDiscounts>().ForUserAsync(http.User.GetUserId(), http.RequestAborted)
            : 0m;
        var stock = await Task.WhenAll(cart.Lines.Select(l => grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(l.Sku)).GetAsync()));
        var lines = cart.Lines.Select((line, i) =>
        {
            var item = priced.GetValueOrDefault(line.Sku);
            var unitPrice = GroupPricing.UnitPrice(item?.UnitPrice ?? 0m, groupDiscount);
            var available = stock[i]?.Available ?? 0;
            return new CartLineView(line.Sku, item?.Name ?? line.Sku, line.Quantity, unitPrice, unitPrice * line.Quantity, available,
                item is { IsActive: true } && available >= line.Quantity);
        }).ToList();
        return new CartView(lines, lines.Sum(l => l.LineTotal), "BRL", lines.All(l => l.Purchasable), cart.Version);
    }

    /// <summary>
    /// The request's cart: the signed-in customer's; a visitor's, by the token it was issued; or, for a
    /// visitor without one, a new cart whose token goes back in the X-Cart-Id response header. Null
    /// for a token this deployment did not issue.
    /// </summary>
    private static ICartGrain? CartGrain(HttpContext http, IGrainFactory grains, VisitorCartTokens tokens)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            return grains.GetGrain<ICartGrain>(CartKey.ForUser(http.User.GetUserId()));
        }

        var presented = http.Request.Headers[VisitorHeader].ToString();
        if (presented.Length == 0)
        {
            // Costs nothing until something is added: the grain stores a cart on its first change.
            var (cartId, token) = tokens.Issue();
            http.Response.Headers[VisitorHeader] = token;
            return grains.GetGrain<ICartGrain>(CartKey.ForVisitor(cartId));
        }

        return tokens.TryRead(presented, out var visitorCartId) ? grains.GetGrain<ICartGrain>(CartKey.ForVisitor(visitorCartId)) : null;
    }

    private static ProblemHttpResult UnknownCart() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown cart",
            detail: $"{VisitorHeader} must be a cart token this store issued. Send the request without it to get a new cart, or sign in.");

    private static string Normalize(string sku) => sku.Trim().ToUpperInvariant();
}

public sealed record AddItemRequest(
    [Required(ErrorMessage = CartApi.SkuMessage), StringLength(CartApi.MaxSkuLength, ErrorMessage = CartApi.SkuMessage)] string? Sku,
    [Range(1, CartKey.MaxQuantityPerLine, ErrorMessage = "Must be between {1} and {2}.")] int Quantity);

/// <summary>0 removes the line.</summary>
public sealed record SetQuantityRequest([Range(0, CartKey.MaxQuantityPerLine, ErrorMessage = "Must be between {1} and {2}.")] int Quantity);

public sealed record MergeRequest(
    [Required(AllowEmptyStrings = true, ErrorMessage = MergeRequest.Missing), MinLength(1, ErrorMessage = MergeRequest.Missing)] string? CartId)
{
    internal const string Missing = $"Required: the {CartApi.VisitorHeader} token the visitor cart was issued.";
}

public sealed record CartLineView(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal, int Available, bool Purchasable);

public sealed record CartView(IReadOnlyList<CartLineView> Lines, decimal Subtotal, string Currency, bool ReadyForCheckout, long Version);
