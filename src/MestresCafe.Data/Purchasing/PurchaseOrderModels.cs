using MestresCafe.Data.Admin;

namespace MestresCafe.Data.Purchasing;

/// <summary>A purchase order line as the back office sends it: the item by SKU, its unit cost defaulting to the supplier's price.</summary>
public sealed record PurchaseLineInput(string Sku, int Quantity, decimal? UnitCost, DateOnly? ExpectedDate);

/// <summary>Goods received for one line (by SKU); the unit cost defaults to the line's.</summary>
public sealed record ReceiptLineInput(string Sku, int Quantity, decimal? UnitCost);

/// <summary>One receipt as the back office sends it, identified by the client's Idempotency-Key.</summary>
public sealed record ReceiptInput(string IdempotencyKey, IReadOnlyList<ReceiptLineInput> Lines, bool AllowOverReceipt, string? Notes);

public enum PurchaseRefusal
{
    NotFound,
    /// <summary>Not in a status that allows it (409).</summary>
    Conflict,
    /// <summary>A field refers to something that cannot be used (422).</summary>
    Unprocessable,
}

/// <summary>Why a purchasing write was refused: the kind, the field (a JSON path) and the message.</summary>
public sealed record PurchaseProblem(PurchaseRefusal Kind, string Field, string Message);

/// <summary>A purchase order write: the order's images before and after (for the audit row and the answer), or why it was refused.</summary>
public sealed record PurchaseOrderWrite(RowChange? Change, PurchaseProblem? Problem)
{
    public static PurchaseOrderWrite Refused(PurchaseRefusal kind, string field, string message) => new(null, new PurchaseProblem(kind, field, message));
}

/// <summary>One line of a recorded receipt, with what its restock needs.</summary>
public sealed record ReceiptLineRecord(long PurchaseOrderItemId, string Sku, int Quantity, decimal UnitCost);

/// <summary>A recorded receipt; <see cref="AppliedAt"/> is null until every line is in stock.</summary>
public sealed record ReceiptRecord(
    long Id, long PurchaseOrderId, string OrderNumber, DateTimeOffset? AppliedAt, long? CreatedBy, IReadOnlyList<ReceiptLineRecord> Lines);

/// <summary>
/// The outcome of recording a receipt: the receipt (new, or the one an earlier try of the same key
/// recorded) or why it was refused.
/// </summary>
public sealed record ReceiptRecording(ReceiptRecord? Receipt, bool Replayed, PurchaseProblem? Problem);
