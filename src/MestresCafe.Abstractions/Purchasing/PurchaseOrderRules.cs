using System.Security.Cryptography;
using System.Text;

namespace MestresCafe.Purchasing;

/// <summary>The statuses of a purchase order, as the database's CHECK spells them.</summary>
public static class PurchaseOrderStatus
{
    public const string Draft = "draft";
    public const string Sent = "sent";
    public const string PartiallyReceived = "partially_received";
    public const string Received = "received";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Draft, Sent, PartiallyReceived, Received, Cancelled];
}

/// <summary>
/// The life of a purchase order: draft → sent → partially received → received, or cancelled
/// before it is fully received. Lines change only while it is a draft; goods are received only
/// once it was sent. Plain rules, shared by the back-office store and its tests.
/// </summary>
public static class PurchaseOrderRules
{
    /// <summary>Whether the back office may move an order from <paramref name="from"/> to <paramref name="to"/> by hand (receipts move it themselves).</summary>
    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (PurchaseOrderStatus.Draft, PurchaseOrderStatus.Sent) => true,
        (PurchaseOrderStatus.Draft or PurchaseOrderStatus.Sent or PurchaseOrderStatus.PartiallyReceived, PurchaseOrderStatus.Cancelled) => true,
        _ => false,
    };

    public static bool CanEditLines(string status) => status == PurchaseOrderStatus.Draft;

    public static bool CanReceive(string status) => status is PurchaseOrderStatus.Sent or PurchaseOrderStatus.PartiallyReceived;

    /// <summary>Null when <paramref name="receiving"/> more units may be received on a line, else why not.</summary>
    public static string? CheckReceipt(int ordered, int received, int receiving, bool allowOverReceipt) =>
        receiving <= 0 ? "Must be at least 1."
        : !allowOverReceipt && received + receiving > ordered
            ? $"Only {Math.Max(ordered - received, 0)} of {ordered} units are still expected; set allowOverReceipt to receive more."
        : null;

    /// <summary>The status once every line has received what it has: received when each line has all it ordered.</summary>
    public static string AfterReceipt(IEnumerable<(int Ordered, int Received)> lines) =>
        lines.All(line => line.Received >= line.Ordered) ? PurchaseOrderStatus.Received : PurchaseOrderStatus.PartiallyReceived;

    /// <summary>
    /// The operation id a receipt line restocks its item with: derived from the receipt and the line,
    /// so that every retry of the receipt (another server, after a crash) sends the same one and the
    /// item adds the units once.
    /// </summary>
    public static Guid ReceiptOperationId(long receiptId, long purchaseOrderItemId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"po-receipt:{receiptId}:{purchaseOrderItemId}")));
}
