using System.Threading.Channels;
using MestresCafe.Data.GrainState;
using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Storage;

/// <summary>
/// Group commit across grains: the state writes of every grain on this silo go through one queue,
/// and the writes that arrive while <see cref="GrainStorageOptions.BatchesInFlight"/> batches are
/// committing leave together as the next batch, one PostgreSQL transaction. An idle silo sends a
/// write at once (a batch of one), so nothing waits for a timer; under load, a checkout's dozen
/// state writes share transactions with other checkouts' instead of costing one each.
/// </summary>
/// <remarks>
/// A write is acknowledged only after its batch committed, so acknowledged still means durable. A
/// batch either commits whole or fails whole: an error fails every write in it, and each grain then
/// behaves as after any failed write (deactivates and reloads its state). A write whose ETag no
/// longer matches fails alone (the provider's version conflict) and the rest of its batch commits.
/// </remarks>
public sealed class GrainStateWriteBatcher : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly GrainStateBatchStore _store;
    private readonly SemaphoreSlim _slots;
    private readonly int _slotCount;
    private readonly int _maxBatchSize;
    private readonly Task _loop;
    private long _batches;
    private long _writes;

    public GrainStateWriteBatcher(GrainStateBatchStore store, IOptions<GrainStorageOptions> options)
    {
        _store = store;
        _slotCount = Math.Max(1, options.Value.BatchesInFlight);
        _maxBatchSize = Math.Max(1, options.Value.MaxBatchSize);
        _slots = new SemaphoreSlim(_slotCount, _slotCount);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Batches committed (or failed) and the writes they carried, since the silo started.</summary>
    public (long Batches, long Writes) Counts => (Interlocked.Read(ref _batches), Interlocked.Read(ref _writes));

    /// <summary>The write's new version once its batch committed; null on a version conflict.</summary>
    public Task<int?> WriteAsync(GrainStateWrite write)
    {
        var pending = new PendingWrite(write, new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GrainStateWriteBatcher), "The silo is stopping: grain state writes are closed.");
        }

        return pending.Completion.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            // The slot is taken before the queue is drained: while every slot is committing, writes
            // pile up in the queue, and that pile is the next batch.
            await _slots.WaitAsync();
            var batch = new List<PendingWrite>();
            while (batch.Count < _maxBatchSize && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count == 0)
            {
                _slots.Release();
                continue;
            }

            _ = CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        try
        {
            var versions = await _store.WriteAsync(batch.ConvertAll(pending => pending.Write), CancellationToken.None);
            for (var index = 0; index < batch.Count; index++)
            {
                batch[index].Completion.TrySetResult(versions[index]);
            }
        }
        catch (Exception error)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(error);
            }
        }
        finally
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _writes, batch.Count);
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        // Every batch still committing finishes (and answers its grains) before the silo's pool goes.
        for (var slot = 0; slot < _slotCount; slot++)
        {
            await _slots.WaitAsync();
        }
    }

    private sealed record PendingWrite(GrainStateWrite Write, TaskCompletionSource<int?> Completion);
}
