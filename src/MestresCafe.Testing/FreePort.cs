using System.Net;
using System.Net.Sockets;

namespace MestresCafe.Testing;

/// <summary>
/// Ports for the servers tests start. A port picked here is free only until someone else binds it:
/// a parallel test may take it between the pick and the bind. So a server binds port 0 where it can
/// (and reports the port it got), and where it cannot (Orleans silo and gateway ports, a PostgreSQL
/// or Redis port that must survive a restart) the start is retried with new ports when the bind
/// fails (<see cref="StartAsync{T}"/>).
/// </summary>
public static class FreePort
{
    private const int Attempts = 5;

    /// <summary>A loopback TCP port that was free a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Runs <paramref name="start"/>, which picks its ports with <see cref="Next"/>, again (with new
    /// ports) when it fails because one was taken in the meantime.
    /// </summary>
    public static async Task<T> StartAsync<T>(Func<Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (Exception error) when (attempt < Attempts && IsAddressInUse(error))
            {
            }
        }
    }

    /// <summary>Whether a start failed because a port it wanted was taken.</summary>
    public static bool IsAddressInUse(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is PortTakenException || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || IsAddressInUse(e.Message))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a process's output says it could not bind a port (Kestrel, Orleans, PostgreSQL and Redis all say it so).</summary>
    public static bool IsAddressInUse(string output) => output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A server process exited because a port picked for it was taken before it bound it.</summary>
public sealed class PortTakenException(string message) : Exception(message);
