namespace MestresCafe.Grains.Projections;

/// <summary>
/// Applies a run of a grain's outbox events to the relational tables: the grain's key, the state
/// the events were recorded in, and the events (oldest first). An implementation maps them to the
/// row records of its store in MestresCafe.Data (which holds the SQL) and writes them in one
/// transaction, idempotent by event id (or by state version), so that a replay changes nothing.
/// </summary>
public interface IProjection<in TKey, in TState, TEvent> where TEvent : IOutboxEvent
{
    Task ApplyAsync(TKey key, TState state, IReadOnlyList<TEvent> events, CancellationToken cancellationToken);
}

/// <summary>An event waiting in a grain's outbox; its id keys its rows and its dead letter.</summary>
public interface IOutboxEvent
{
    Guid EventId { get; }
}
