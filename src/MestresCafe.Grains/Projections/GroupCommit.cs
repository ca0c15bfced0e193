using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Projections;

/// <summary>
/// Persists a reentrant grain's state so that every change is acknowledged only after a write that
/// contains it committed, while changes that arrive during a write in flight share the next write
/// (group commit). With <c>batch: false</c> every change waits for a write of its own, in order:
/// the one-write-per-operation mode, kept so both can be measured.
/// </summary>
/// <remarks>
/// The grain mutates a working copy; <c>prepareWrite</c> runs synchronously at the start of each
/// write and captures what that write stores (a copy of the state, or only the changes since the
/// previous write), so the storage provider never serializes an object that the grain's next turn
/// is changing.
/// <para>
/// Up to <c>maxInFlight</c> writes may run at once (pipelining; only for writes that go to
/// different rows, like the records of a log). Each write is handed the completion of the writes
/// prepared before it and its callers are acknowledged only once it and every earlier write are
/// durable, in order: a change is never acknowledged while a change it may depend on could still
/// fail. After a failed write the in-memory state is ahead of PostgreSQL: that write's callers and
/// every later one fail (even if a later write itself committed: replay must not apply it, see
/// <see cref="Inventory.InventoryLog"/>), the committer refuses further work and the grain
/// deactivates, so the next activation starts again from what was stored.
/// </para>
/// </remarks>
public sealed class GroupCommit
{
    private readonly Func<Func<Task<bool>, Task>> _prepareWrite;
    private readonly Action _onFailure;
    private readonly bool _batch;
    private readonly int _maxInFlight;
    private readonly ILogger _logger;
    private readonly Queue<TaskCompletionSource> _queue = new();
    private TaskCompletionSource? _pending;
    private int _inFlight;
    /// <summary>True once every write started so far is durable; false as soon as one of them failed.</summary>
    private Task<bool> _lastWrite = Task.FromResult(true);
    private Exception? _failure;

    /// <param name="prepareWrite">
    /// Captures the next write; the write is given a task that says whether every earlier write is
    /// durable (it must await it before storing anything that contains an earlier write's changes).
    /// </param>
    public GroupCommit(Func<Func<Task<bool>, Task>> prepareWrite, Action onFailure, bool batch, ILogger logger, int maxInFlight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _prepareWrite = prepareWrite;
        _onFailure = onFailure;
        _batch = batch;
        _logger = logger;
        _maxInFlight = maxInFlight;
    }

    /// <summary>Each write stores the whole state: <paramref name="snapshot"/> copies it, <paramref name="writeAsync"/> stores the copy; one write at a time.</summary>
    public GroupCommit(Func<Task> writeAsync, Action snapshot, Action onFailure, bool batch, ILogger logger)
        : this(() => { snapshot(); return _ => writeAsync(); }, onFailure, batch, logger)
    {
    }

    public bool Failed => _failure is not null;

    /// <summary>Completes once a write holding every change made before this call has committed.</summary>
    public Task CommitAsync()
    {
        ThrowIfFailed();
        _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = _pending.Task;
        if (!_batch)
        {
            // One write per change: the next change gets a fresh completion of its own.
            _queue.Enqueue(_pending);
            _pending = null;
        }

        StartWrites();
        return mine;
    }

    public void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new GrainStateUnavailableException(_failure);
        }
    }

    private void StartWrites()
    {
        while (_failure is null && _inFlight < _maxInFlight && TakeNext() is { } waiter)
        {
            var write = _prepareWrite();
            _inFlight++;
            _lastWrite = RunAsync(write, _lastWrite, waiter);
        }
    }

    private async Task<bool> RunAsync(Func<Task<bool>, Task> write, Task<bool> earlier, TaskCompletionSource waiter)
    {
        Exception? error = null;
        try
        {
            await write(earlier);
        }
        catch (Exception exception)
        {
            error = exception;
        }

        // Durable only together with every earlier write, whatever this one did.
        var earlierDurable = await earlier;
        _inFlight--;
        if (error is null && earlierDurable)
        {
            waiter.TrySetResult();
            StartWrites();
            return true;
        }

        var cause = error ?? _failure ?? new InvalidOperationException("an earlier state write failed");
        if (_failure is null)
        {
            _logger.LogError(error, "State write failed; failing the waiting calls and deactivating");
            _failure = cause;
            foreach (var other in DrainAll())
            {
                other.TrySetException(new GrainStateUnavailableException(cause));
            }

            _onFailure();
        }

        waiter.TrySetException(new GrainStateUnavailableException(cause));
        return false;
    }

    private TaskCompletionSource? TakeNext()
    {
        if (_batch)
        {
            var next = _pending;
            _pending = null;
            return next;
        }

        return _queue.TryDequeue(out var single) ? single : null;
    }

    private List<TaskCompletionSource> DrainAll()
    {
        var rest = _queue.ToList();
        _queue.Clear();
        if (_pending is not null)
        {
            rest.Add(_pending);
            _pending = null;
        }

        return rest;
    }
}
