namespace MestresCafe.Grains.Projections;

/// <summary>
/// What a grain hands its <see cref="OutboxPump{TEvent}"/>: the events waiting to be projected
/// (oldest first), how to apply a run of them in one transaction, and how to drop events from the
/// outbox once they are applied or dead-lettered (the removal is persisted by the grain's next write).
/// Built with <see cref="Outbox.For"/> from the grain's <see cref="IProjection{TKey, TState, TEvent}"/>.
/// </summary>
public sealed record Outbox<TEvent>(
    Func<IReadOnlyList<TEvent>> Pending,
    Func<IReadOnlyList<TEvent>, CancellationToken, Task> ApplyAsync,
    Action<IReadOnlyList<TEvent>> Remove) where TEvent : IOutboxEvent;

public static class Outbox
{
    /// <summary>
    /// The one way a grain wires its outbox: its projection, the key and the state to project (read
    /// when a run starts), the pending events and their removal.
    /// </summary>
    /// <param name="afterApplyAsync">
    /// What else must happen at least once per event, after the projection committed and before the
    /// events leave the outbox (a failure or crash runs both again; the projection ignores the replay).
    /// </param>
    public static Outbox<TEvent> For<TKey, TState, TEvent>(
        IProjection<TKey, TState, TEvent> projection, TKey key, Func<TState> state,
        Func<IReadOnlyList<TEvent>> pending, Action<IReadOnlyList<TEvent>> remove,
        Func<IReadOnlyList<TEvent>, Task>? afterApplyAsync = null) where TEvent : IOutboxEvent =>
        new(pending, afterApplyAsync is null
            ? (events, cancellationToken) => projection.ApplyAsync(key, state(), events, cancellationToken)
            : async (events, cancellationToken) =>
            {
                await projection.ApplyAsync(key, state(), events, cancellationToken);
                await afterApplyAsync(events);
            },
            remove);

    /// <summary>
    /// An outbox kept as a list in the state (pending when the state exists): an applied run is
    /// always its head, so removal takes that many from the front.
    /// </summary>
    public static Outbox<TEvent> For<TKey, TState, TEvent>(
        IProjection<TKey, TState, TEvent> projection, TKey key, Func<TState> state, Func<bool> exists, Func<List<TEvent>> outbox,
        Func<IReadOnlyList<TEvent>, Task>? afterApplyAsync = null) where TEvent : IOutboxEvent =>
        For(projection, key, state, () => exists() ? outbox() : [], applied => outbox().RemoveRange(0, applied.Count), afterApplyAsync);
}
