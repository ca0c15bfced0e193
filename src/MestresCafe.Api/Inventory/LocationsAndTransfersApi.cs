using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Api.Checkout;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Inventory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Validation;

namespace MestresCafe.Api.Inventory;

/// <summary>
/// /api/admin/inventory/locations (where stock is kept; CD-SP is the default every checkout reserves
/// from) and /api/admin/inventory/transfers (units of one item moved between two locations, once).
/// </summary>
public static class LocationsAndTransfersApi
{
    private const string Base = "/api/admin/inventory";
    private const string Tag = "Back office: inventory";

    private static readonly AdminEntity<LocationInput, AdminLocation, LocationStore> Locations = new(
        "Location", "locations", "inventory.location", "/locations/", Base + "/locations/", (body, creating) => body.ToColumns(creating),
        Removal.DeactivateShowingRow,
        "Create a stock location (a code like CD-MG, a name, warehouse or shop).",
        "Change a location's name, kind or active flag (not its code).",
        "Deactivate a location: no transfers to it; its stock and history stay.");

    public static RouteGroupBuilder MapLocationsAndTransfersApi(this RouteGroupBuilder api)
    {
        var read = api.MapGroup("/admin/inventory").WithTags(Tag).RequirePermission("inventory:read");
        read.MapGet("/locations", ListLocationsAsync).WithName("ListLocations").WithSummary("Stock locations by code, optionally only active ones.");
        read.MapGet("/transfers", ListTransfersAsync).WithName("ListInventoryTransfers").WithSummary("Stock transfers, newest first, optionally of one SKU.");

        var write = api.MapGroup("/admin/inventory").WithTags(Tag).RequirePermission("inventory:write")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        write.MapAdminCrud<LocationInput, AdminLocation, LocationStore, AuditedWriter>(Locations);
        write.MapPost("/transfers", TransferAsync)
            .WithName("TransferInventory")
            .WithSummary("Move units of an item from one location to another: withdrawn at the source, received at the destination (its inventory row created when missing).")
            .WithDescription("Idempotent by the Idempotency-Key header: a retry (after a timeout, on another server) returns the same transfer and moves the units once; the same key with another body is a 409. An unknown or inactive location, the same location twice or more than the source has available is a 422.");
        return write;
    }

    private static async Task<Ok<IReadOnlyList<AdminLocation>>> ListLocationsAsync(LocationStore store, CancellationToken cancellationToken, bool? active = null) =>
        TypedResults.Ok<IReadOnlyList<AdminLocation>>((await store.ListAsync(active, cancellationToken)).Select(row => row.As<AdminLocation>()).ToList());

    private static async Task<Ok<IReadOnlyList<TransferRecord>>> ListTransfersAsync(
        InventoryTransferStore store, CancellationToken cancellationToken, string? sku = null, [Range(1, 500)] int limit = 100) =>
        TypedResults.Ok(await store.ListAsync(sku?.Trim().ToUpperInvariant() is { Length: > 0 } s ? s : null, Math.Clamp(limit, 1, 500), cancellationToken));

    private static async Task<Results<Created<TransferRecord>, Ok<TransferRecord>, ValidationProblem, ProblemHttpResult>> TransferAsync(
        TransferRequest body, [FromHeader(Name = CheckoutApi.IdempotencyHeader)] string? idempotencyKey, HttpContext http, InventoryTransfers transfers)
    {
        if (CheckoutValidation.CheckIdempotencyKey(idempotencyKey) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var input = new TransferInput(idempotencyKey!, Code(body.Sku!), Code(body.From!), Code(body.To!), body.Quantity!.Value,
            body.Notes?.Trim() is { Length: > 0 } notes ? notes : null);
        var recording = await transfers.TransferAsync(input, AuditActors.From(http), http.RequestAborted);
        if (recording.Problem is { } problem)
        {
            return problem.Conflict ? Problems.Conflict(problem.Message) : Problems.Unprocessable(problem.Field, problem.Message);
        }

        var transfer = recording.Transfer!;
        if (transfer.Status == TransferStatus.Failed)
        {
            return Problems.Unprocessable("quantity", $"{transfer.FromLocation} did not have {transfer.Quantity} units available: nothing was moved.");
        }

        return recording.Replayed ? TypedResults.Ok(transfer) : TypedResults.Created($"{Base}/transfers?sku={transfer.Sku}", transfer);
    }

    private static string Code(string text) => text.Trim().ToUpperInvariant();
}

// The generic back-office endpoints (AdminCrud) take this body as a type parameter, which the
// validation generator cannot see through; [ValidatableType] has it generate its checks.
#pragma warning disable ASP0029 // ValidatableType is marked experimental in .NET 10.

/// <summary>A location's fields. POST requires code and name; the code (upper-cased) cannot change afterwards.</summary>
[ValidatableType]
public sealed record LocationInput(
    [RequiredOnCreate, RegularExpression("^\\s*[A-Za-z0-9][A-Za-z0-9-]{0,49}\\s*$", ErrorMessage = "Letters, digits and dashes, starting with a letter or digit, at most 50.")] string? Code,
    [RequiredOnCreate, Infrastructure.Validation.NotBlank, TrimmedLength(120)] string? Name,
    [OneOf("warehouse", "shop", Optional = true)] string? Kind,
    bool? IsActive)
{
    internal ColumnBuilder ToColumns(bool creating)
    {
        var columns = new ColumnBuilder();
        if (creating)
        {
            columns.Text("code", Code?.Trim().ToUpperInvariant());
        }

        return columns.Text("name", Name).Text("kind", Kind).Flag("is_active", IsActive);
    }
}

#pragma warning restore ASP0029

public sealed record AdminLocation(long Id, string Code, string Name, string Kind, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record TransferRequest(
    [Required(ErrorMessage = "Required."), Infrastructure.Validation.NotBlank, TrimmedLength(100)] string? Sku,
    [Required(ErrorMessage = "Required."), Infrastructure.Validation.NotBlank, TrimmedLength(50)] string? From,
    [Required(ErrorMessage = "Required."), Infrastructure.Validation.NotBlank, TrimmedLength(50)] string? To,
    [Required(ErrorMessage = "Required."), Range(1, 1_000_000, ErrorMessage = "Must be between {1} and {2}.")] int? Quantity,
    [TrimmedLength(1000)] string? Notes);
