using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Projections;

/// <summary>
/// Persists a reentrant grain's state so that every change is acknowledged only after a write that
/// contains it committed, while changes that arrive during a write in flight share the next write
/// (group commit). With <c>batch: false</c> every change waits for a write of its own, in order:
/// the one-write-per-operation mode, kept so both can be measured.
/// </summary>
/// <remarks>
/// The grain mutates a working copy; <paramref name="prepareWrite"/> runs synchronously at the start
/// of each write and captures what that write stores (a copy of the state, or only the changes since
/// the previous write), so the storage provider never serializes an object that the grain's next
/// turn is changing. After a failed write the in-memory state is ahead of PostgreSQL: every waiter
/// fails, the committer refuses further work and the grain deactivates, so the next activation
/// starts again from what was stored.
/// </remarks>
public sealed class GroupCommit(Func<Func<Task>> prepareWrite, Action onFailure, bool batch, ILogger logger)
{
    /// <summary>Each write stores the whole state: <paramref name="snapshot"/> copies it, <paramref name="writeAsync"/> stores the copy.</summary>
    public GroupCommit(Func<Task> writeAsync, Action snapshot, Action onFailure, bool batch, ILogger logger)
        : this(() => { snapshot(); return writeAsync; }, onFailure, batch, logger)
    {
    }

    private readonly Queue<TaskCompletionSource> _queue = new();
    private TaskCompletionSource? _pending;
    private bool _writing;
    private Exception? _failure;

    public bool Failed => _failure is not null;

    /// <summary>Completes once a write holding every change made before this call has committed.</summary>
    public Task CommitAsync()
    {
        ThrowIfFailed();
        _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = _pending.Task;
        if (!batch)
        {
            // One write per change: the next change gets a fresh completion of its own.
            _queue.Enqueue(_pending);
            _pending = null;
        }

        if (!_writing)
        {
            _ = WriteLoopAsync();
        }

        return mine;
    }

    public void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new GrainStateUnavailableException(_failure);
        }
    }

    private async Task WriteLoopAsync()
    {
        _writing = true;
        try
        {
            while (TakeNext() is { } waiters)
            {
                var write = prepareWrite();
                try
                {
                    await write();
                }
                catch (Exception error)
                {
                    logger.LogError(error, "State write failed; failing {Count} waiting call(s) and deactivating", waiters.Count);
                    _failure = error;
                    foreach (var waiter in waiters.Concat(DrainAll()))
                    {
                        waiter.TrySetException(new GrainStateUnavailableException(error));
                    }

                    onFailure();
                    return;
                }

                foreach (var waiter in waiters)
                {
                    waiter.TrySetResult();
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private List<TaskCompletionSource>? TakeNext()
    {
        if (batch)
        {
            if (_pending is null)
            {
                return null;
            }

            var next = _pending;
            _pending = null;
            return [next];
        }

        return _queue.TryDequeue(out var single) ? [single] : null;
    }

    private IEnumerable<TaskCompletionSource> DrainAll()
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
