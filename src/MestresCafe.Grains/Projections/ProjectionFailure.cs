using System.Text.Json;
using Npgsql;

namespace MestresCafe.Grains.Projections;

/// <summary>
/// Tells an event the database will never accept from a failure that goes away by itself. Only
/// the first kind may be dead-lettered: PostgreSQL being down, slow or busy must never cost an event.
/// </summary>
public static class ProjectionFailure
{
    /// <summary>
    /// Data exceptions (class 22: a value out of range, bad text) and integrity violations (class 23:
    /// a CHECK, a not-null), or an event that cannot be serialized. Everything else (connections,
    /// timeouts, 40001 serialization failures, 40P01 deadlocks, a server shutting down) is transient,
    /// and so is a foreign-key violation (23503): the row it references is usually another grain's
    /// projection that has not landed yet (an order whose server died is projected again only when
    /// its reminder wakes it, about a minute later), and that must never cost an event.
    /// </summary>
    public static bool IsPermanent(Exception error) => SqlStateOf(error) is { } state
        ? state != ForeignKeyViolation && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal))
        : Chain(error).Any(e => e is JsonException or NotSupportedException);

    private const string ForeignKeyViolation = "23503";

    /// <summary>The SQL state of the PostgreSQL error behind this failure, if there is one.</summary>
    public static string? SqlStateOf(Exception error) => Chain(error).OfType<PostgresException>().FirstOrDefault()?.SqlState;

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
