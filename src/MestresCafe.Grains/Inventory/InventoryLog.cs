using System.Globalization;
using Orleans.Storage;

namespace MestresCafe.Grains.Inventory;

/// <summary>One group-commit batch of an inventory item: the movements it made, in version order.</summary>
[GenerateSerializer, Alias("mc.InventoryLogRecord")]
public sealed class InventoryLogRecord
{
    [Id(0)] public long Sequence { get; set; }
    [Id(1)] public List<InventoryMovement> Movements { get; set; } = [];
    /// <summary>This record's own id, unique per write.</summary>
    [Id(2)] public Guid Id { get; set; }
    /// <summary>
    /// The id of the record it follows (or of the snapshot's last record): with two writes in
    /// flight a record may be stored while its predecessor's write fails, and such a record must
    /// never be replayed; empty in records written before records were chained.
    /// </summary>
    [Id(3)] public Guid PreviousId { get; set; }
}

/// <summary>
/// The log half of an inventory item's state: a ring of <see cref="RingSize"/> records stored through
/// the same ADO.NET grain storage as the snapshot, each under a state name of its own
/// (<c>inventory-log-0</c>...), so each is one row keyed by grain type string and grain id like any
/// grain state. Record <c>n</c> always lives in slot <c>n % RingSize</c>.
/// </summary>
/// <remarks>
/// Fencing: every slot write carries the ETag this activation last read or wrote for that slot.
/// Two activations of one item that both believe the next record is <c>n</c> write the same row, so
/// the second write is refused (InconsistentStateException) and its batch is never acknowledged;
/// an activation that missed records written after it read a slot is refused for the same reason.
/// The ring size is a constant, not an option, so that every silo maps a sequence number to the
/// same row whatever its configuration.
/// </remarks>
public sealed class InventoryLog(IGrainStorage storage, GrainId grainId)
{
    /// <summary>Slots in the ring; a snapshot must be written at least once every this many records.</summary>
    public const int RingSize = 16;

    private readonly GrainState<InventoryLogRecord>?[] _slots = new GrainState<InventoryLogRecord>?[RingSize];

    public static string SlotName(long sequence) => "inventory-log-" + (sequence % RingSize).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads every slot (remembering its ETag) and returns the records that follow
    /// <paramref name="snapshotSequence"/> without a gap, each naming the one before it (the first
    /// naming <paramref name="snapshotRecordId"/>): a slot still holding an older record, or a
    /// record left by a write whose predecessor never became durable, ends the log.
    /// </summary>
    public async Task<List<InventoryLogRecord>> ReadAfterAsync(long snapshotSequence, Guid snapshotRecordId = default)
    {
        await Task.WhenAll(Enumerable.Range(0, RingSize).Select(async slot =>
        {
            var state = new GrainState<InventoryLogRecord>(new InventoryLogRecord());
            await storage.ReadStateAsync(SlotName(slot), grainId, state);
            _slots[slot] = state;
        }));

        var records = new List<InventoryLogRecord>();
        var previousId = snapshotRecordId;
        for (var next = snapshotSequence + 1; _slots[next % RingSize]!.State is { } record && record.Sequence == next; next++)
        {
            if (!Follows(record, previousId))
            {
                break;
            }

            records.Add(record);
            previousId = record.Id;
        }

        return records;
    }

    /// <summary>Whether <paramref name="record"/> was written after the record (or snapshot) whose id is <paramref name="previousId"/>; unchained records (written before ids) follow anything.</summary>
    public static bool Follows(InventoryLogRecord record, Guid previousId) =>
        record.PreviousId == Guid.Empty || previousId == Guid.Empty || record.PreviousId == previousId;

    /// <summary>Writes record <c>n</c> over slot <c>n % RingSize</c>; refused if anyone wrote that slot since this activation last saw it.</summary>
    public Task AppendAsync(InventoryLogRecord record)
    {
        var slot = _slots[record.Sequence % RingSize] ?? throw new InvalidOperationException("the log was not read");
        slot.State = record;
        return storage.WriteStateAsync(SlotName(record.Sequence), grainId, slot);
    }
}
