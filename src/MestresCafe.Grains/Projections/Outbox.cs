namespace MestresCafe.Grains.Projections;

/// <summary>
/// What a grain hands its <see cref="OutboxPump{TEvent}"/>: the events waiting to be projected
/// (oldest first), how to apply a run of them in one transaction, and how to drop events from the
/// outbox once they are applied or dead-lettered (the removal is persisted by the grain's next write).
/// </summary>
public sealed record Outbox<TEvent>(
    Func<IReadOnlyList<TEvent>> Pending,
    Func<IReadOnlyList<TEvent>, CancellationToken, Task> ApplyAsync,
    Action<IReadOnlyList<TEvent>> Remove,
    Func<TEvent, Guid> IdOf) where TEvent : notnull;
