using System.Text.RegularExpressions;
using MestresCafe.Api.Security;
using MestresCafe.Cart;
using MestresCafe.Data.Pricing;
using MestresCafe.Inventory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Cart;

/// <summary>
/// The shopping cart. A signed-in customer has one cart; an anonymous visitor identifies theirs
/// with the <c>X-Cart-Id</c> header (an id the client makes up once), and merges it at login.
/// </summary>
public static partial class CartApi
{
    public const string VisitorHeader = "X-Cart-Id";

    public static void MapCartApi(this RouteGroupBuilder api)
    {
        var cart = api.MapGroup("/cart").WithTags("Cart");
        cart.MapGet("/", GetAsync).WithName("GetCart").WithSummary("The cart with current catalog prices and stock.");
        cart.MapPost("/items", AddAsync).WithName("AddCartItem").WithSummary("Adds units of an item (checked against available stock, not reserved).");
        cart.MapPut("/items/{sku}", SetAsync).WithName("SetCartItem").WithSummary("Sets an item's quantity; 0 removes it.");
        cart.MapDelete("/items/{sku}", RemoveAsync).WithName("RemoveCartItem").WithSummary("Removes an item.");
        cart.MapDelete("/", ClearAsync).WithName("ClearCart").WithSummary("Empties the cart.");
        cart.MapPost("/merge", MergeAsync).RequireAuthorization()
            .WithName("MergeCart").WithSummary("Moves a visitor cart (by its X-Cart-Id) into the signed-in customer's cart.");
    }

    private static async Task<Results<Ok<CartView>, ProblemHttpResult>> GetAsync(HttpContext http, IGrainFactory grains, CatalogPrices prices)
    {
        if (CartGrain(http, grains) is not { } cart)
        {
            return MissingCartId();
        }

        return TypedResults.Ok(await ViewAsync(await cart.GetAsync(), grains, prices));
    }

    private static Task<Results<Ok<CartView>, ProblemHttpResult, ValidationProblem>> AddAsync(
        AddItemRequest request, HttpContext http, IGrainFactory grains, CatalogPrices prices) =>
        UpdateAsync(http, grains, prices, request.Sku, request.Quantity, (cart, sku, quantity) => cart.AddAsync(sku, quantity));

    private static Task<Results<Ok<CartView>, ProblemHttpResult, ValidationProblem>> SetAsync(
        string sku, SetQuantityRequest request, HttpContext http, IGrainFactory grains, CatalogPrices prices) =>
        UpdateAsync(http, grains, prices, sku, request.Quantity, (cart, s, quantity) => cart.SetQuantityAsync(s, quantity), allowZero: true);

    private static async Task<Results<Ok<CartView>, ProblemHttpResult>> RemoveAsync(string sku, HttpContext http, IGrainFactory grains, CatalogPrices prices)
    {
        if (CartGrain(http, grains) is not { } cart)
        {
            return MissingCartId();
        }

        return TypedResults.Ok(await ViewAsync(await cart.RemoveAsync(Normalize(sku)), grains, prices));
    }

    private static async Task<Results<Ok<CartView>, ProblemHttpResult>> ClearAsync(HttpContext http, IGrainFactory grains, CatalogPrices prices)
    {
        if (CartGrain(http, grains) is not { } cart)
        {
            return MissingCartId();
        }

        return TypedResults.Ok(await ViewAsync(await cart.ClearAsync(), grains, prices));
    }

    private static async Task<Results<Ok<CartView>, ValidationProblem>> MergeAsync(MergeRequest request, HttpContext http, IGrainFactory grains, CatalogPrices prices)
    {
        if (!IsValidCartId(request.CartId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cartId"] = ["8 to 64 letters, digits or dashes."] });
        }

        var mine = grains.GetGrain<ICartGrain>(CartKey.ForUser(http.User.GetUserId()));
        return TypedResults.Ok(await ViewAsync(await mine.MergeFromAsync(CartKey.ForVisitor(request.CartId!)), grains, prices));
    }

    private static async Task<Results<Ok<CartView>, ProblemHttpResult, ValidationProblem>> UpdateAsync(
        HttpContext http, IGrainFactory grains, CatalogPrices prices, string? sku, int quantity,
        Func<ICartGrain, string, int, Task<CartUpdateResult>> update, bool allowZero = false)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(sku) || sku.Length > 64)
        {
            errors["sku"] = ["Required, at most 64 characters."];
        }

        if (quantity < (allowZero ? 0 : 1) || quantity > CartKey.MaxQuantityPerLine)
        {
            errors["quantity"] = [$"Must be between {(allowZero ? 0 : 1)} and {CartKey.MaxQuantityPerLine}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (CartGrain(http, grains) is not { } cart)
        {
            return MissingCartId();
        }

        var result = await update(cart, Normalize(sku!), quantity);
        return result.Outcome switch
        {
            CartUpdateOutcome.UnknownItem => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown item", detail: $"No item with sku {sku} is for sale."),
            CartUpdateOutcome.InsufficientStock => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Insufficient stock",
                detail: $"Only {result.Available} unit(s) of {sku} are available.", extensions: new Dictionary<string, object?> { ["available"] = result.Available }),
            CartUpdateOutcome.InvalidQuantity => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = ["Invalid quantity."] }),
            _ => TypedResults.Ok(await ViewAsync(result.Cart, grains, prices)),
        };
    }

    /// <summary>At sign-in: the visitor cart named by the request's X-Cart-Id, if any, moves into the user's cart.</summary>
    public static async Task MergeVisitorCartAsync(IGrainFactory grains, HttpContext http, long userId)
    {
        var visitor = http.Request.Headers[VisitorHeader].ToString();
        if (IsValidCartId(visitor))
        {
            await grains.GetGrain<ICartGrain>(CartKey.ForUser(userId)).MergeFromAsync(CartKey.ForVisitor(visitor));
        }
    }

    /// <summary>The cart as shown: every price read now from the catalog, never stored from the client.</summary>
    private static async Task<CartView> ViewAsync(CartSnapshot cart, IGrainFactory grains, CatalogPrices prices)
    {
        var priced = await prices.GetAsync(cart.Lines.Select(l => l.Sku));
        var stock = await Task.WhenAll(cart.Lines.Select(l => grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(l.Sku)).GetAsync()));
        var lines = cart.Lines.Select((line, i) =>
        {
            var item = priced.GetValueOrDefault(line.Sku);
            var unitPrice = item?.UnitPrice ?? 0m;
            var available = stock[i]?.Available ?? 0;
            return new CartLineView(line.Sku, item?.Name ?? line.Sku, line.Quantity, unitPrice, unitPrice * line.Quantity, available,
                item is { IsActive: true } && available >= line.Quantity);
        }).ToList();
        return new CartView(lines, lines.Sum(l => l.LineTotal), "BRL", lines.All(l => l.Purchasable), cart.Version);
    }

    private static ICartGrain? CartGrain(HttpContext http, IGrainFactory grains)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            return grains.GetGrain<ICartGrain>(CartKey.ForUser(http.User.GetUserId()));
        }

        var visitor = http.Request.Headers[VisitorHeader].ToString();
        return IsValidCartId(visitor) ? grains.GetGrain<ICartGrain>(CartKey.ForVisitor(visitor)) : null;
    }

    private static ProblemHttpResult MissingCartId() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Cart id required",
            detail: $"Sign in, or send an {VisitorHeader} header of 8 to 64 letters, digits or dashes.");

    private static bool IsValidCartId(string? id) => id is not null && CartIdPattern().IsMatch(id);

    private static string Normalize(string sku) => sku.Trim().ToUpperInvariant();

    [GeneratedRegex("^[A-Za-z0-9-]{8,64}$")]
    private static partial Regex CartIdPattern();
}

public sealed record AddItemRequest(string? Sku, int Quantity);

public sealed record SetQuantityRequest(int Quantity);

public sealed record MergeRequest(string? CartId);

public sealed record CartLineView(string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal, int Available, bool Purchasable);

public sealed record CartView(IReadOnlyList<CartLineView> Lines, decimal Subtotal, string Currency, bool ReadyForCheckout, long Version);
