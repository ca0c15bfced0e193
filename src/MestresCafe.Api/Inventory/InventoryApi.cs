using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Audit;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Inventory;
using MestresCafe.Data.Purchasing;
using MestresCafe.Inventory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Inventory;

public static class InventoryApi
{
    public static void MapInventoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/inventory/{sku}/availability", GetAvailabilityAsync)
            .WithTags("Inventory")
            .WithName("GetAvailability")
            .WithSummary("Whether an item is in stock and how many units can be bought now.");

        var admin = api.MapGroup("/admin/inventory").WithTags("Back office: inventory");
        admin.MapGet("/", ListAsync).RequirePermission("inventory:read")
            .WithName("ListInventory").WithSummary("Stock of every item, optionally only those at or under the reorder point.");
        admin.MapGet("/{sku}", GetAsync).RequirePermission("inventory:read")
            .WithName("GetInventoryItem").WithSummary("Live stock of one item: available, reserved, sold, reorder settings.");
        admin.MapGet("/{sku}/movements", MovementsAsync).RequirePermission("inventory:read")
            .WithName("ListInventoryMovements").WithSummary("The movements of one item, newest first.");
        admin.MapPost("/{sku}/restock", RestockAsync).RequirePermission("inventory:write")
            .WithName("RestockInventoryItem").WithSummary("Receives units into available stock.");
        admin.MapPost("/{sku}/adjust", AdjustAsync).RequirePermission("inventory:write")
            .WithName("AdjustInventoryItem").WithSummary("Corrects available stock by a signed amount with a reason.");
        admin.MapPut("/{sku}/reorder-levels", SetReorderLevelsAsync).RequirePermission("inventory:write")
            .WithName("SetInventoryReorderLevels").WithSummary("Sets an item's reorder point and reorder quantity (the stock alert and reorder suggestions use them).");
        admin.MapGet("/reorder-suggestions", SuggestionsAsync).RequirePermission("inventory:read")
            .WithName("ListReorderSuggestions")
            .WithSummary("What to buy: stock, units on order, sales of the last 30 and 90 days, days of cover and a suggested quantity per preferred supplier.");
        admin.MapGet("/adjustments", AdjustmentsAsync).RequirePermission("inventory:read")
            .WithName("ListStockAdjustments").WithSummary("Stock adjustments for audits, newest first, by reason, user, SKU and period ([from, to)).");
    }

    private static async Task<Results<Ok<AvailabilityResponse>, NotFound>> GetAvailabilityAsync(string sku, IGrainFactory grains, string location = InventoryKey.DefaultLocation)
    {
        var snapshot = await Grain(grains, sku, location).GetAsync();
        return snapshot is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new AvailabilityResponse(snapshot.Sku, snapshot.Location, snapshot.Available, snapshot.Available > 0));
    }

    private static async Task<Results<Ok<InventorySnapshot>, NotFound>> GetAsync(string sku, IGrainFactory grains, string location = InventoryKey.DefaultLocation) =>
        await Grain(grains, sku, location).GetAsync() is { } snapshot ? TypedResults.Ok(snapshot) : TypedResults.NotFound();

    private static async Task<Results<Ok<InventorySnapshot>, NotFound, ValidationProblem>> RestockAsync(
        string sku, RestockRequest request, IGrainFactory grains, AuditJournal audit, HttpContext http, string location = InventoryKey.DefaultLocation)
    {
        var userId = http.User.GetUserId();
        var snapshot = await Grain(grains, sku, location).RestockAsync(request.Quantity, "purchase", request.Notes, userId);
        if (snapshot is null)
        {
            return TypedResults.NotFound();
        }

        await audit.WriteAsync(http, "inventory.restock", "inventory", null, null, new { sku, location, request.Quantity, request.Notes });
        return TypedResults.Ok(snapshot);
    }

    private static async Task<Results<Ok<InventorySnapshot>, NotFound, ValidationProblem, Conflict<string>>> AdjustAsync(
        string sku, AdjustRequest request, IGrainFactory grains, AuditJournal audit, HttpContext http, string location = InventoryKey.DefaultLocation)
    {
        var result = await Grain(grains, sku, location).AdjustAsync(new StockAdjustment(request.QuantityChange, request.Reason, request.Notes, http.User.GetUserId()));
        switch (result.Outcome)
        {
            case AdjustmentOutcome.UnknownItem:
                return TypedResults.NotFound();
            case AdjustmentOutcome.InsufficientStock:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantityChange"] = ["Cannot remove more than the available stock."] });
        }

        await audit.WriteAsync(http, "inventory.adjust", "inventory", null, null, new { sku, location, request.QuantityChange, request.Reason, request.Notes });
        return TypedResults.Ok(result.Snapshot!);
    }

    private static async Task<Results<Ok<InventorySnapshot>, NotFound>> SetReorderLevelsAsync(
        string sku, ReorderLevelsRequest request, IGrainFactory grains, AuditJournal audit, HttpContext http, string location = InventoryKey.DefaultLocation)
    {
        var before = await Grain(grains, sku, location).GetAsync();
        var snapshot = await Grain(grains, sku, location).SetReorderLevelsAsync(request.ReorderPoint, request.ReorderQuantity, http.User.GetUserId());
        if (snapshot is null)
        {
            return TypedResults.NotFound();
        }

        await audit.WriteAsync(http, "inventory.reorder_levels", "inventory", null,
            before is null ? null : new { before.ReorderPoint, before.ReorderQuantity }, new { sku, location, request.ReorderPoint, request.ReorderQuantity });
        return TypedResults.Ok(snapshot);
    }

    private static async Task<Ok<IReadOnlyList<ReorderSuggestion>>> SuggestionsAsync(
        ReorderSuggestionQuery suggestions, CancellationToken cancellationToken, bool all = false) =>
        TypedResults.Ok(await suggestions.SuggestAsync(onlyToReorder: !all, cancellationToken));

    private static async Task<Ok<StockAdjustmentPage>> AdjustmentsAsync(
        StockAdjustmentQuery adjustments, CancellationToken cancellationToken,
        [StockAdjustmentReason(Optional = true)] string? reason = null, long? userId = null, string? sku = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, [Range(1, 10_000)] int page = 1, [Range(1, 200)] int pageSize = 50) =>
        TypedResults.Ok(await adjustments.ListAsync(
            new StockAdjustmentFilter(reason, userId, sku?.Trim().ToUpperInvariant() is { Length: > 0 } s ? s : null, from, to), page, pageSize, cancellationToken));

    private static async Task<Ok<InventoryListPage>> ListAsync(
        InventoryQueries queries, CancellationToken cancellationToken, bool lowStockOnly = false, [Range(1, 10_000)] int page = 1, [Range(1, 200)] int pageSize = 50)
    {
        page = Math.Clamp(page, 1, 10_000);
        pageSize = Math.Clamp(pageSize, 1, 200);
        return TypedResults.Ok(await queries.ListAsync(lowStockOnly, page, pageSize, cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<MovementItem>>> MovementsAsync(
        string sku, InventoryQueries queries, CancellationToken cancellationToken, string location = InventoryKey.DefaultLocation, int limit = 100) =>
        TypedResults.Ok(await queries.MovementsAsync(sku, location, Math.Clamp(limit, 1, 1000), cancellationToken));

    private static IInventoryItemGrain Grain(IGrainFactory grains, string sku, string location) =>
        grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku.Trim().ToUpperInvariant(), location.Trim().ToUpperInvariant()));
}

public sealed record AvailabilityResponse(string Sku, string Location, int Available, bool InStock);

public sealed record RestockRequest([Range(1, 1_000_000, ErrorMessage = "Must be between {1} and {2}.")] int Quantity, string? Notes);

public sealed record AdjustRequest(
    [NonZero(ErrorMessage = AdjustRequest.AmountMessage), Range(-1_000_000, 1_000_000, ErrorMessage = AdjustRequest.AmountMessage)] int QuantityChange,
    [StockAdjustmentReason] string Reason,
    [StringLength(1000, ErrorMessage = "At most {1} characters.")] string? Notes)
{
    internal const string AmountMessage = "Must be a non-zero amount between -1000000 and 1000000.";
}


public sealed record ReorderLevelsRequest(
    [Range(0, 1_000_000, ErrorMessage = "Must be between {1} and {2}.")] int ReorderPoint,
    [Range(0, 1_000_000, ErrorMessage = "Must be between {1} and {2}.")] int ReorderQuantity);

/// <summary>A reason the stock_adjustments table accepts (<see cref="StockAdjustmentReasons.All"/>).</summary>
public sealed class StockAdjustmentReasonAttribute() : OneOfAttribute(StockAdjustmentReasons.All, "One of");
