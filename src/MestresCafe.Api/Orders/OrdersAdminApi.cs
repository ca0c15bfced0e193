using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Audit;
using MestresCafe.Api.Security;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Orders;
using MestresCafe.Orders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Orders;

/// <summary>Back office: orders, fulfilment, cancellations, refunds and returns. Every change is audited.</summary>
public static class OrdersAdminApi
{
    /// <summary>Moving money back: refunds, return refunds, and the cancellation of a paid order (which refunds it).</summary>
    public const string RefundPermission = "orders:refund";

    public static void MapOrdersAdminApi(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/admin/orders").WithTags("Back office: orders");
        orders.MapGet("/", ListAsync).RequirePermission("orders:read").WithName("AdminListOrders").WithSummary("Orders with filters: status, customer, date range.");
        orders.MapGet("/{orderNumber}", GetAsync).RequirePermission("orders:read").WithName("AdminGetOrder").WithSummary("One order with payment and returns.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapPost("/{orderNumber}/processing", (string orderNumber, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "order.processing", null, (o, u) => o.StartProcessingAsync(u)))
            .RequirePermission("orders:write").WithName("AdminStartProcessing").WithSummary("Paid to processing (picking and packing).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{orderNumber}/ship", (string orderNumber, ShipRequest body, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "order.ship", body, (o, u) => o.ShipAsync(body.TrackingNumber ?? "", u)))
            .RequirePermission("orders:write").WithName("AdminShipOrder").WithSummary("Marks the order shipped with its tracking number.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapPost("/{orderNumber}/deliver", (string orderNumber, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "order.deliver", null, (o, u) => o.DeliverAsync(u)))
            .RequirePermission("orders:write").WithName("AdminDeliverOrder").WithSummary("Marks a shipped order delivered.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{orderNumber}/cancel", (string orderNumber, CancelRequest body, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "order.cancel", body,
                    (o, u) => o.CancelAsync(u, Reason(body.Reason), byCustomer: false, mayRefund: http.User.HasPermission(RefundPermission))))
            .RequirePermission("orders:write").WithName("AdminCancelOrder")
            .WithSummary("Cancels; releases holds, or restocks and refunds a paid order (which also needs orders:refund, and never one's own order).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        orders.MapPost("/{orderNumber}/invoice-payment", (string orderNumber, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "order.invoice_paid", null, (o, u) => o.RecordInvoicePaymentAsync(u)))
            .RequirePermission(RefundPermission).WithName("AdminRecordInvoicePayment")
            .WithSummary("Records the payment of an invoiced (faturado) order's invoice: the order is paid and its account's credit released; repeating it changes nothing.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{orderNumber}/refund", RefundAsync)
            .RequirePermission(RefundPermission).WithName("AdminRefundOrder").WithSummary("Refunds part or all of the captured payment.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        orders.MapPost("/{orderNumber}/returns/{returnId:guid}/approve", (string orderNumber, Guid returnId, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "return.approve", new { returnId }, (o, u) => o.ApproveReturnAsync(returnId, true, u)))
            .RequirePermission("returns:write").WithName("AdminApproveReturn").WithSummary("Approves a requested return.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{orderNumber}/returns/{returnId:guid}/reject", (string orderNumber, Guid returnId, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "return.reject", new { returnId }, (o, u) => o.ApproveReturnAsync(returnId, false, u)))
            .RequirePermission("returns:write").WithName("AdminRejectReturn").WithSummary("Rejects a requested return.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{orderNumber}/returns/{returnId:guid}/receive", (string orderNumber, Guid returnId, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "return.receive", new { returnId }, (o, u) => o.ReceiveReturnAsync(returnId, u)))
            .RequirePermission("returns:write").WithName("AdminReceiveReturn").WithSummary("The returned units arrived; they go back to stock.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{orderNumber}/returns/{returnId:guid}/refund", (string orderNumber, Guid returnId, HttpContext http, IGrainFactory g, AuditJournal audit) =>
                ChangeAsync(orderNumber, http, g, audit, "return.refund", new { returnId }, (o, u) => o.RefundReturnAsync(returnId, u)))
            .RequirePermission(RefundPermission).WithName("AdminRefundReturn").WithSummary("Refunds a received return.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway);
    }

    private static async Task<Ok<AdminOrderPage>> ListAsync(
        OrderQueries queries, CancellationToken cancellationToken, string? status = null, long? userId = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        int page = 1, int pageSize = 50)
    {
        page = Math.Clamp(page, 1, 100_000);
        pageSize = Math.Clamp(pageSize, 1, 200);
        return TypedResults.Ok(await queries.ListAsync(new AdminOrderFilter(status, userId, from, to), page, pageSize, cancellationToken));
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> GetAsync(string orderNumber, IGrainFactory grains) =>
        await grains.GetGrain<IOrderGrain>(orderNumber).GetAsync() is { } order ? TypedResults.Ok(OrderView.From(order)) : OrderResults.NotFound();

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult, ValidationProblem>> RefundAsync(
        string orderNumber, RefundRequest body, HttpContext http, IGrainFactory grains, AuditJournal audit)
    {
        var result = (await ChangeAsync(orderNumber, http, grains, audit, "order.refund", body, (o, u) => o.RefundAsync(body.Amount!.Value, body.Reason!, u))).Result;
        return result is Ok<OrderView> ok ? ok : (ProblemHttpResult)result;
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> ChangeAsync(
        string orderNumber, HttpContext http, IGrainFactory grains, AuditJournal audit, string action, object? details,
        Func<IOrderGrain, long, Task<TransitionResult>> change)
    {
        var userId = http.User.GetUserId();
        var result = await change(grains.GetGrain<IOrderGrain>(orderNumber), userId);
        if (result.Succeeded)
        {
            await audit.WriteAsync(http, action, "orders", null, null, new { orderNumber, details, status = result.Order!.Status.ToSql() });
        }

        return OrderResults.From(result);
    }

    private static string Reason(string? reason) => string.IsNullOrWhiteSpace(reason) ? "cancelado pelo back office" : reason.Trim()[..Math.Min(reason.Trim().Length, 500)];
}

public sealed record ShipRequest(string? TrackingNumber);

public sealed record CancelRequest(string? Reason);

public sealed record RefundRequest(
    [Required(ErrorMessage = RefundRequest.AmountMessage), PositiveCents(ErrorMessage = RefundRequest.AmountMessage)] decimal? Amount,
    [RefundReason] string? Reason)
{
    internal const string AmountMessage = "A positive amount in BRL with at most two decimals.";
}

