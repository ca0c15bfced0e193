using MestresCafe.Api.Security;
using MestresCafe.Data.Orders;
using MestresCafe.Orders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Orders;

/// <summary>A customer's own orders. Another customer's order is a 404, not a 403: its existence is not disclosed.</summary>
public static class MyOrdersApi
{
    public static void MapMyOrdersApi(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").RequireAuthorization().WithTags("My orders");
        orders.MapGet("/", ListAsync).WithName("ListMyOrders").WithSummary("My orders, newest first.");
        orders.MapGet("/{orderNumber}", GetAsync).WithName("GetMyOrder").WithSummary("One of my orders.");
        orders.MapPost("/{orderNumber}/cancel", CancelAsync).WithName("CancelMyOrder").WithSummary("Cancels my order while it awaits payment or is paid but not yet in preparation.");
        orders.MapPost("/{orderNumber}/returns", RequestReturnAsync).WithName("RequestReturn").WithSummary("Asks to return units of a delivered order (within 30 days).");
    }

    private static async Task<Ok<IReadOnlyList<OrderSummary>>> ListAsync(HttpContext http, OrderQueries queries, CancellationToken cancellationToken, int limit = 50) =>
        TypedResults.Ok(await queries.ForCustomerAsync(http.User.GetUserId(), Math.Clamp(limit, 1, 200), cancellationToken));

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> GetAsync(string orderNumber, HttpContext http, IGrainFactory grains)
    {
        var order = await MineAsync(orderNumber, http, grains);
        return order is null ? OrderResults.NotFound() : TypedResults.Ok(OrderView.From(order));
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> CancelAsync(string orderNumber, HttpContext http, IGrainFactory grains)
    {
        if (await MineAsync(orderNumber, http, grains) is null)
        {
            return OrderResults.NotFound();
        }

        var userId = http.User.GetUserId();
        return OrderResults.From(await grains.GetGrain<IOrderGrain>(orderNumber).CancelAsync(userId, "cancelado pelo cliente", byCustomer: true, mayRefund: true));
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult, ValidationProblem>> RequestReturnAsync(
        string orderNumber, ReturnRequestBody body, HttpContext http, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Sku) || body.Sku.Length > 64)
        {
            errors["sku"] = ["Required."];
        }

        if (body.Quantity is < 1 or > 999)
        {
            errors["quantity"] = ["Between 1 and 999."];
        }

        if (!OrderReasons.Return.Contains(body.Reason))
        {
            errors["reason"] = [$"One of: {string.Join(", ", OrderReasons.Return)}."];
        }

        if (body.Notes is { Length: > 1000 })
        {
            errors["notes"] = ["At most 1000 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await MineAsync(orderNumber, http, grains) is null)
        {
            return OrderResults.NotFound();
        }

        var request = new ReturnRequest(body.Sku!.Trim().ToUpperInvariant(), body.Quantity, body.Reason!, body.Notes);
        var result = OrderResults.From(await grains.GetGrain<IOrderGrain>(orderNumber).RequestReturnAsync(request, http.User.GetUserId())).Result;
        return result is Ok<OrderView> ok ? ok : (ProblemHttpResult)result;
    }

    private static async Task<OrderSnapshot?> MineAsync(string orderNumber, HttpContext http, IGrainFactory grains)
    {
        if (orderNumber.Length is < 4 or > 30)
        {
            return null;
        }

        var order = await grains.GetGrain<IOrderGrain>(orderNumber).GetAsync();
        return order is not null && order.UserId == http.User.GetUserId() ? order : null;
    }
}

public sealed record ReturnRequestBody(string? Sku, int Quantity, string? Reason, string? Notes);
