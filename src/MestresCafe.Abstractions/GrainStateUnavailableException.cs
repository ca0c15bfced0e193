using System.Data.Common;
using System.Net.Sockets;

namespace MestresCafe;

/// <summary>
/// The grain's state could not be read or persisted (PostgreSQL unreachable, a write that failed);
/// the call was not applied durably. It replaces the database driver's exception at the grain
/// boundary because the driver's exceptions are not serializable: a caller on another silo (or the
/// API) would otherwise see a serialization failure instead of the cause. It keeps the cause's
/// message and whether retrying may succeed; the silo that caught the cause logs it in full.
/// </summary>
[GenerateSerializer, Alias("mc.GrainStateUnavailableException")]
public sealed class GrainStateUnavailableException : Exception
{
    public GrainStateUnavailableException()
        : this("The change could not be persisted; retry.", isTransient: true)
    {
    }

    public GrainStateUnavailableException(string message, bool isTransient)
        : base(message)
    {
        IsTransient = isTransient;
    }

    /// <summary>Carries <paramref name="cause"/>'s message and transient flag, not the exception itself.</summary>
    public GrainStateUnavailableException(Exception cause)
        : this("The change could not be persisted; retry. " + cause.GetBaseException().Message, IsOutage(cause) || !IsDatabaseFailure(cause))
    {
    }

    /// <summary>Whether the same call may succeed later (the database was unreachable, not a bad statement).</summary>
    [Id(0)]
    public bool IsTransient { get; private set; }

    /// <summary>
    /// Whether <paramref name="error"/> (or an exception inside it) says the database could not be
    /// reached or answer for now: a transient driver error or a socket failure, or one of ours saying so.
    /// </summary>
    public static bool IsOutage(Exception error) => Causes(error).Any(e => e switch
    {
        GrainStateUnavailableException unavailable => unavailable.IsTransient,
        DbException db => db.IsTransient,
        SocketException => true,
        _ => false,
    });

    /// <summary>Whether the database driver raised <paramref name="error"/> or one inside it.</summary>
    public static bool IsDatabaseFailure(Exception error) => Causes(error).Any(e => e is DbException);

    private static IEnumerable<Exception> Causes(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
