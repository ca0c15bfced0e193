using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Data.Purchasing;
using MestresCafe.Purchasing;

namespace MestresCafe.Api.Purchasing;

/// <summary>A purchase order line: the item by SKU; the unit cost defaults to the supplier's price for it.</summary>
public sealed record PurchaseLine(
    [Required(ErrorMessage = "Required."), Sku] string Sku,
    [Range(1, 1_000_000, ErrorMessage = CatalogInputs.RangeMessage)] int Quantity,
    [Money] decimal? UnitCost,
    DateOnly? ExpectedDate)
{
    internal PurchaseLineInput ToInput() => new(Sku.Trim(), Quantity, UnitCost, ExpectedDate);
}

/// <summary>A new draft purchase order.</summary>
public sealed record NewPurchaseOrder(
    [Required(ErrorMessage = "Required."), RowId] long? SupplierId,
    DateTimeOffset? ExpectedDelivery,
    [TrimmedLength(2000)] string? Notes,
    [Required(ErrorMessage = "Required."), Length(1, 200, ErrorMessage = "From {1} to {2} lines.")] IReadOnlyList<PurchaseLine>? Lines) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => PurchaseOrderContracts.DistinctSkus(Lines);
}

/// <summary>Changes of a purchase order: notes and expected delivery until it is closed; the lines (replaced whole) while it is a draft.</summary>
public sealed record PurchaseOrderChange(
    DateTimeOffset? ExpectedDelivery,
    [TrimmedLength(2000)] string? Notes,
    [Length(1, 200, ErrorMessage = "From {1} to {2} lines.")] IReadOnlyList<PurchaseLine>? Lines) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => PurchaseOrderContracts.DistinctSkus(Lines);
}

/// <summary>Goods received for one line; the unit cost defaults to the line's.</summary>
public sealed record ReceiptLine(
    [Required(ErrorMessage = "Required."), Sku] string Sku,
    [Range(1, 1_000_000, ErrorMessage = CatalogInputs.RangeMessage)] int Quantity,
    [Money] decimal? UnitCost);

/// <summary>
/// One receipt of goods. More than a line still expects is refused unless
/// <see cref="AllowOverReceipt"/> says the operator accepts it.
/// </summary>
public sealed record ReceiptRequest(
    [Required(ErrorMessage = "Required."), Length(1, 200, ErrorMessage = "From {1} to {2} lines.")] IReadOnlyList<ReceiptLine>? Lines,
    bool AllowOverReceipt,
    [TrimmedLength(2000)] string? Notes) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        PurchaseOrderContracts.Duplicates(Lines?.Select(l => l.Sku), nameof(Lines));

    internal ReceiptInput ToInput(string idempotencyKey) =>
        new(idempotencyKey, Lines!.Select(l => new ReceiptLineInput(l.Sku.Trim(), l.Quantity, l.UnitCost)).ToList(), AllowOverReceipt,
            Notes?.Trim() is { Length: > 0 } notes ? notes : null);
}

/// <summary>Which reorder suggestions become draft purchase orders: all of them, or those of the given SKUs.</summary>
public sealed record SuggestionsToOrders([MaxLength(500, ErrorMessage = "At most {1} SKUs.")] IReadOnlyList<string>? Skus);

/// <summary>A status of a purchase order (<see cref="PurchaseOrderStatus.All"/>).</summary>
public sealed class PurchaseOrderStatusAttribute() : OneOfAttribute(PurchaseOrderStatus.All, "One of")
{
}

/// <summary>A purchase order as the back office sees it, read from the store's image.</summary>
public sealed record PurchaseOrderView(
    long Id, string OrderNumber, long SupplierId, string SupplierName, string Status, decimal TotalAmount, DateTimeOffset OrderDate,
    DateTimeOffset? ExpectedDelivery, DateTimeOffset? ReceivedDate, string? Notes, long? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<PurchaseOrderLineView> Lines, IReadOnlyList<ReceiptView> Receipts);

public sealed record PurchaseOrderLineView(
    long Id, string Sku, string Name, long ProductId, long? VariantId, int QuantityOrdered, int QuantityReceived, decimal UnitCost, decimal TotalCost,
    DateOnly? ExpectedDate);

/// <summary>A receipt; <see cref="AppliedAt"/> is null while its stock is being added.</summary>
public sealed record ReceiptView(
    long Id, string IdempotencyKey, bool AllowOverReceipt, string? Notes, long? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? AppliedAt,
    IReadOnlyList<ReceiptLineView> Lines);

public sealed record ReceiptLineView(long PurchaseOrderItemId, int Quantity, decimal UnitCost);

/// <summary>A purchase order in a list (its number of lines, not the lines).</summary>
public sealed record PurchaseOrderSummary(
    long Id, string OrderNumber, long SupplierId, string SupplierName, string Status, decimal TotalAmount, DateTimeOffset OrderDate,
    DateTimeOffset? ExpectedDelivery, DateTimeOffset? ReceivedDate, DateTimeOffset CreatedAt, int Lines);

/// <summary>The answer to a receipt: which receipt, whether it was an earlier try's, and the order after it.</summary>
public sealed record ReceiptResult(long ReceiptId, bool Replayed, PurchaseOrderView PurchaseOrder);

/// <summary>Drafts made from reorder suggestions, and the SKUs left out because no active preferred supplier sells them at a known price.</summary>
public sealed record SuggestedOrders(IReadOnlyList<PurchaseOrderView> PurchaseOrders, IReadOnlyList<string> LeftOut);

internal static class PurchaseOrderContracts
{
    public static IEnumerable<ValidationResult> DistinctSkus(IReadOnlyList<PurchaseLine>? lines) =>
        Duplicates(lines?.Select(l => l.Sku), "Lines");

    /// <summary>"Listed twice." for every repeated SKU after its first, at its path (lines[i].sku).</summary>
    public static IEnumerable<ValidationResult> Duplicates(IEnumerable<string?>? skus, string member)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var sku in skus ?? [])
        {
            if (sku is not null && !seen.Add(sku.Trim()))
            {
                yield return new ValidationResult("Listed twice.", [$"{member}[{index}].Sku"]);
            }

            index++;
        }
    }
}
