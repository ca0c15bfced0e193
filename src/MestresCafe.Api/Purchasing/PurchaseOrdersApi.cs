using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Checkout;
using MestresCafe.Api.Security;
using MestresCafe.Data.Admin;
using MestresCafe.Data.Purchasing;
using MestresCafe.Purchasing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using static MestresCafe.Api.Admin.WriteOutcome;

namespace MestresCafe.Api.Purchasing;

/// <summary>
/// /api/admin/purchasing/purchase-orders: drafts with lines, sent, received in one or several
/// receipts (each restocking its items through their inventory grains, idempotently), or
/// cancelled. Every change writes an audit row; a move the order's status does not allow is a 409.
/// </summary>
public static class PurchaseOrdersApi
{
    private const string Action = "purchasing.purchase_order";
    private const string Route = PurchasingAdminApi.Base + "/purchase-orders/";

    public static RouteGroupBuilder MapPurchaseOrdersApi(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/admin/purchasing/purchase-orders").WithTags(PurchasingAdminApi.Tag)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapGet("/", ListAsync).RequirePermission(PurchasingAdminApi.ReadPermission)
            .WithName("ListPurchaseOrders").WithSummary("Purchase orders, newest first, by status and/or supplier.");
        orders.MapGet("/{id:long}", GetAsync).RequirePermission(PurchasingAdminApi.ReadPermission)
            .WithName("GetPurchaseOrder").WithSummary("One purchase order with its lines and receipts.");
        orders.MapPost("/", CreateAsync).RequirePermission(PurchasingAdminApi.WritePermission)
            .WithName("CreatePurchaseOrder").WithSummary("A draft purchase order to an active supplier; line costs default to the supplier's prices, quantities respect its minimum order.");
        orders.MapPatch("/{id:long}", UpdateAsync).RequirePermission(PurchasingAdminApi.WritePermission)
            .WithName("UpdatePurchaseOrder").WithSummary("Change notes and expected delivery; replace the lines while it is a draft.");
        orders.MapPost("/{id:long}/send", (long id, HttpContext http, AuditedWriter writer, PurchaseOrderStore store) =>
                MoveAsync(id, PurchaseOrderStatus.Sent, http, writer, store))
            .RequirePermission(PurchasingAdminApi.WritePermission)
            .WithName("SendPurchaseOrder").WithSummary("Draft to sent: the order is dated and goods can be received.");
        orders.MapPost("/{id:long}/cancel", (long id, HttpContext http, AuditedWriter writer, PurchaseOrderStore store) =>
                MoveAsync(id, PurchaseOrderStatus.Cancelled, http, writer, store))
            .RequirePermission(PurchasingAdminApi.WritePermission)
            .WithName("CancelPurchaseOrder").WithSummary("Cancel an order not yet fully received (what was received stays in stock).");
        orders.MapPost("/{id:long}/receipts", ReceiveAsync).RequirePermission("inventory:write")
            .WithName("ReceivePurchaseOrder")
            .WithSummary("Receive goods: restocks each line's item at its cost (weighted average), moves the order to partially received or received.")
            .WithDescription("Idempotent by the Idempotency-Key header: a retry (after a timeout, on another server) returns the same receipt and adds the units once; the same key with another body is a 422. More than a line still expects is a 422 unless allowOverReceipt is true.");
        orders.MapPost("/from-reorder-suggestions", FromSuggestionsAsync).RequirePermission(PurchasingAdminApi.WritePermission)
            .WithName("CreatePurchaseOrdersFromSuggestions")
            .WithSummary("Turn reorder suggestions into draft purchase orders, one per preferred supplier.");
        return orders;
    }

    private static async Task<Ok<IReadOnlyList<PurchaseOrderSummary>>> ListAsync(
        PurchasingQueries queries, CancellationToken cancellationToken,
        [PurchaseOrderStatus(Optional = true)] string? status = null, long? supplierId = null,
        [Range(1, 10_000)] int page = 1, [Range(1, 200)] int pageSize = 50) =>
        TypedResults.Ok<IReadOnlyList<PurchaseOrderSummary>>((await queries.PurchaseOrdersAsync(status, supplierId, page, pageSize, cancellationToken))
            .Select(row => row.As<PurchaseOrderSummary>()).ToList());

    private static async Task<Results<Ok<PurchaseOrderView>, ProblemHttpResult>> GetAsync(long id, PurchaseOrderStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(row.As<PurchaseOrderView>()) : Problems.NotFound("No such purchase order.");

    private static async Task<Results<Created<PurchaseOrderView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NewPurchaseOrder body, HttpContext http, AuditedWriter writer, PurchaseOrderStore store) =>
        AdminResults.Created<PurchaseOrderView>(await writer.RunAsync(http, Action + ".create", "purchase_orders", async (scope, ct) =>
            Outcome(await store.CreateAsync(scope, body.SupplierId!.Value, body.ExpectedDelivery, Trimmed(body.Notes),
                body.Lines!.Select(l => l.ToInput()).ToList(), http.User.GetUserId(), ct))), Route);

    private static async Task<Results<Ok<PurchaseOrderView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, PurchaseOrderChange body, HttpContext http, AuditedWriter writer, PurchaseOrderStore store) =>
        AdminResults.Ok<PurchaseOrderView>(await writer.RunAsync(http, Action + ".update", "purchase_orders", async (scope, ct) =>
            Outcome(await store.UpdateAsync(scope, id, body.ExpectedDelivery, body.Notes, body.Lines?.Select(l => l.ToInput()).ToList(), ct))));

    private static async Task<Results<Ok<PurchaseOrderView>, ValidationProblem, ProblemHttpResult>> MoveAsync(
        long id, string to, HttpContext http, AuditedWriter writer, PurchaseOrderStore store) =>
        AdminResults.Ok<PurchaseOrderView>(await writer.RunAsync(http, $"{Action}.{(to == PurchaseOrderStatus.Sent ? "send" : "cancel")}", "purchase_orders",
            async (scope, ct) => Outcome(await store.MoveAsync(scope, id, to, ct))));

    private static async Task<Results<Created<ReceiptResult>, Ok<ReceiptResult>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        long id, ReceiptRequest body, [FromHeader(Name = CheckoutApi.IdempotencyHeader)] string? idempotencyKey,
        HttpContext http, PurchaseReceiving receiving, PurchaseOrderStore store)
    {
        if (CheckoutValidation.CheckIdempotencyKey(idempotencyKey) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var recording = await receiving.ReceiveAsync(id, body.ToInput(idempotencyKey!), AuditActors.From(http), http.RequestAborted);
        if (recording.Problem is { } problem)
        {
            return Problem(problem);
        }

        var order = (await store.GetAsync(id, CancellationToken.None))!.Value.As<PurchaseOrderView>();
        var result = new ReceiptResult(recording.Receipt!.Id, recording.Replayed, order);
        return recording.Replayed ? TypedResults.Ok(result) : TypedResults.Created($"{Route}{id}", result);
    }

    private static async Task<Results<Ok<SuggestedOrders>, ValidationProblem, ProblemHttpResult>> FromSuggestionsAsync(
        SuggestionsToOrders body, HttpContext http, AuditedWriter writer, PurchaseOrderStore store, ReorderSuggestionQuery suggestions)
    {
        var wanted = body.Skus?.Select(s => s.Trim()).ToHashSet(StringComparer.Ordinal);
        var chosen = (await suggestions.SuggestAsync(onlyToReorder: true, http.RequestAborted))
            .Where(s => wanted is null || wanted.Contains(s.Sku)).ToList();
        var created = new List<PurchaseOrderView>();
        // One draft, in one transaction with its audit row, per supplier.
        foreach (var group in chosen.Where(Orderable).GroupBy(s => s.Supplier!.SupplierId))
        {
            var lines = group.Select(s => new PurchaseLineInput(s.Sku, s.SuggestedQuantity, s.Supplier!.UnitCost, null)).ToList();
            var result = await writer.RunAsync(http, Action + ".create", "purchase_orders", async (scope, ct) =>
                Outcome(await store.CreateAsync(scope, group.Key, null, "Sugestão de reposição", lines, http.User.GetUserId(), ct)));
            switch (result.Problem)
            {
                case ValidationProblem validation:
                    return validation;
                case ProblemHttpResult problem:
                    return problem;
            }

            created.Add(result.Change!.New!.Value.As<PurchaseOrderView>());
        }

        return TypedResults.Ok(new SuggestedOrders(created, chosen.Where(s => !Orderable(s)).Select(s => s.Sku).ToList()));
    }

    /// <summary>A suggestion becomes a line when an active preferred supplier sells the item at a known price.</summary>
    private static bool Orderable(ReorderSuggestion suggestion) => suggestion.Supplier is { UnitCost: not null };

    private static WriteOutcome Outcome(PurchaseOrderWrite write) => write.Problem is { } problem ? Fail(Problem(problem)) : Done(write.Change);

    private static ProblemHttpResult Problem(PurchaseProblem problem) => problem.Kind switch
    {
        PurchaseRefusal.NotFound => Problems.NotFound(problem.Message),
        PurchaseRefusal.Conflict => Problems.Conflict("Not allowed in the purchase order's status.", problem.Message),
        _ => Problems.Unprocessable(problem.Field, problem.Message),
    };

    private static string? Trimmed(string? text) => text?.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}
