using MestresCafe.Data.Audit;
using MestresCafe.Data.Purchasing;
using MestresCafe.Inventory;
using MestresCafe.Purchasing;

namespace MestresCafe.Api.Purchasing;

/// <summary>
/// Receives goods against a purchase order in three steps, each safe to repeat: (1) record the
/// receipt, its lines and the received quantities under the order's lock (a retry with the same
/// key finds it); (2) restock each line through its inventory item grain with an operation id
/// derived from the receipt line, so the units are added once whichever server or retry sends
/// them; (3) mark the receipt applied. A server that dies between the steps leaves a pending
/// receipt that the retry, or <see cref="ResumePendingAsync"/>, finishes: nothing is lost and
/// nothing counted twice. No grain of its own: the order's row lock serializes its receipts.
/// </summary>
public sealed class PurchaseReceiving(PurchaseOrderStore store, IGrainFactory grains)
{
    public const string ReferenceType = "purchase_order";

    public async Task<ReceiptRecording> ReceiveAsync(long purchaseOrderId, ReceiptInput input, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var recording = await store.RecordReceiptAsync(purchaseOrderId, input, actor, cancellationToken);
        return recording.Receipt is { } receipt ? recording with { Receipt = await ApplyAsync(receipt, CancellationToken.None) } : recording;
    }

    /// <summary>Restocks every line of a recorded receipt (idempotently) and marks it applied; an applied receipt is returned as it is.</summary>
    public async Task<ReceiptRecord> ApplyAsync(ReceiptRecord receipt, CancellationToken cancellationToken)
    {
        if (receipt.AppliedAt is not null)
        {
            return receipt;
        }

        await Task.WhenAll(receipt.Lines.Select(async line =>
        {
            var stock = new StockReceipt(
                PurchaseOrderRules.ReceiptOperationId(receipt.Id, line.PurchaseOrderItemId), line.Quantity, line.UnitCost,
                ReferenceType, receipt.PurchaseOrderId, $"{receipt.OrderNumber}, recebimento {receipt.Id}", receipt.CreatedBy);
            _ = await grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(line.Sku)).ReceiveAsync(stock)
                ?? throw new InvalidOperationException($"{line.Sku} has no inventory item at {InventoryKey.DefaultLocation}: receipt {receipt.Id} stays pending.");
        }));
        return receipt with { AppliedAt = await store.MarkAppliedAsync(receipt.Id, cancellationToken) };
    }

    /// <summary>Finishes receipts whose server stopped between recording and applying them; returns how many.</summary>
    public async Task<int> ResumePendingAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var pending = await store.PendingReceiptsAsync(olderThan, 100, cancellationToken);
        foreach (var receipt in pending)
        {
            await ApplyAsync(receipt, cancellationToken);
        }

        return pending.Count;
    }
}
