namespace MestresCafe.Grains.Projections;

/// <summary>
/// The one-write-per-change save of a grain that is not reentrant (orders, loyalty accounts,
/// carts); <see cref="GroupCommit"/> is its counterpart for reentrant grains that share writes.
/// </summary>
public static class PersistentStateWrites
{
    /// <summary>
    /// Writes the state. When the write fails the in-memory state is ahead of PostgreSQL, so the
    /// activation must not answer another call from it: it is deactivated (pass the grain's
    /// <c>DeactivateOnIdle</c>) and the next call starts from what was stored. The failure is
    /// rethrown as it came: the storage boundary (<see cref="DatabaseFailureBoundary"/>) has already
    /// made a database failure a <see cref="GrainStateUnavailableException"/>, and a lost ETag race
    /// stays an <see cref="Orleans.Storage.InconsistentStateException"/>, each of which the API
    /// answers with a retryable 503.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<TState>(this IPersistentState<TState> state, Action deactivate)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            deactivate();
            throw;
        }
    }

    /// <summary>
    /// As above, for a grain with an outbox: the pump is halted first, so that a run already
    /// scheduled (a retry after a projection failure) cannot project the events of the write
    /// that failed before the grain is gone.
    /// </summary>
    public static Task WriteOrDeactivateAsync<TState, TEvent>(this IPersistentState<TState> state, OutboxPump<TEvent> pump, Action deactivate)
        where TEvent : IOutboxEvent =>
        state.WriteOrDeactivateAsync(() =>
        {
            pump.Halt();
            deactivate();
        });
}
