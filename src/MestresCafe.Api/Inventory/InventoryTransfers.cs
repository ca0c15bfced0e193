using System.Security.Cryptography;
using System.Text;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Inventory;
using MestresCafe.Inventory;

namespace MestresCafe.Api.Inventory;

/// <summary>
/// Moves units of one item between two locations in four steps, each safe to repeat: (1) record the
/// transfer (a retry with the same key finds it); (2) withdraw the units at the source through its
/// inventory item grain with an operation id derived from the transfer; (3) receive them at the
/// destination with another derived id; (4) mark the transfer completed. A server that dies between
/// the steps leaves a pending transfer that its retry, or <see cref="ResumePendingAsync"/>, finishes:
/// the grains remember the operations they applied, so no unit is lost or counted twice. When the
/// source no longer has the units at step 2, nothing moved and the transfer is marked failed.
/// </summary>
public sealed class InventoryTransfers(InventoryTransferStore store, IGrainFactory grains)
{
    public const string ReferenceType = "transfer";

    public static Guid WithdrawOperationId(long transferId) => OperationId(transferId, "out");

    public static Guid ReceiveOperationId(long transferId) => OperationId(transferId, "in");

    /// <summary>Records (or finds again) and applies a transfer; a problem when it is refused before anything moved.</summary>
    public async Task<TransferRecording> TransferAsync(TransferInput input, AuditActor actor, CancellationToken cancellationToken)
    {
        var recording = await store.FindAsync(input.IdempotencyKey, cancellationToken) is { } earlier
            ? InventoryTransferStore.Replay(earlier, input)
            : await RecordAsync(input, actor, cancellationToken);
        return recording.Transfer is { } transfer
            ? recording with { Transfer = await ApplyAsync(transfer, CancellationToken.None) }
            : recording;
    }

    private async Task<TransferRecording> RecordAsync(TransferInput input, AuditActor actor, CancellationToken cancellationToken)
    {
        if (input.From == input.To)
        {
            return new TransferRecording(null, false, new TransferProblem("to", "The destination must differ from the source."));
        }

        // Refused early when the source cannot give the units; the withdrawal checks again under the grain.
        var source = await grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(input.Sku, input.From)).GetAsync();
        if (source is not null && source.Available < input.Quantity)
        {
            return new TransferRecording(null, false, new TransferProblem("quantity", $"Only {source.Available} units are available at {input.From}."));
        }

        return await store.RecordAsync(input, actor, cancellationToken);
    }

    /// <summary>Finishes a pending transfer (each step idempotent); a finished one is returned as it is.</summary>
    public async Task<TransferRecord> ApplyAsync(TransferRecord transfer, CancellationToken cancellationToken)
    {
        if (transfer.Status != TransferStatus.Pending)
        {
            return transfer;
        }

        var notes = $"transferência {transfer.Id}: {transfer.FromLocation} → {transfer.ToLocation}";
        var withdrawn = await grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(transfer.Sku, transfer.FromLocation))
            .WithdrawAsync(new StockWithdrawal(WithdrawOperationId(transfer.Id), transfer.Quantity, ReferenceType, transfer.Id, notes, transfer.CreatedBy));
        if (withdrawn.Outcome != AdjustmentOutcome.Adjusted)
        {
            // The withdrawal was never applied (the grain remembers applied ones): nothing moved.
            return await store.FinishAsync(transfer.Id, TransferStatus.Failed, cancellationToken);
        }

        // The units arrive at the source's cost (the destination averages it with its own).
        var receipt = new StockReceipt(ReceiveOperationId(transfer.Id), transfer.Quantity, withdrawn.Snapshot!.CostPrice, ReferenceType, transfer.Id, notes, transfer.CreatedBy);
        _ = await grains.GetGrain<IInventoryItemGrain>(InventoryKey.For(transfer.Sku, transfer.ToLocation)).ReceiveAsync(receipt)
            ?? throw new InvalidOperationException($"{transfer.Sku} has no inventory item at {transfer.ToLocation}: transfer {transfer.Id} stays pending.");
        return await store.FinishAsync(transfer.Id, TransferStatus.Completed, cancellationToken);
    }

    /// <summary>Finishes transfers whose server stopped half-way; returns how many.</summary>
    public async Task<int> ResumePendingAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var pending = await store.PendingAsync(olderThan, 100, cancellationToken);
        foreach (var transfer in pending)
        {
            await ApplyAsync(transfer, cancellationToken);
        }

        return pending.Count;
    }

    private static Guid OperationId(long transferId, string step) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"inventory-transfer:{transferId}:{step}")));
}
