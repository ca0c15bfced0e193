using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MestresCafe.Testing;

/// <summary>
/// A redis-server of one test's own on a free loopback port, so that a test can stop it ("Redis
/// down") and start it again on the same port without disturbing the shared Redis that other tests
/// use.
/// </summary>
public sealed class RedisServerProcess : IDisposable
{
    private readonly int _port;
    private Process? _process;

    private RedisServerProcess(int port)
    {
        _port = port;
        Endpoint = $"127.0.0.1:{port}";
    }

    public string Endpoint { get; }

    // Redis cannot report a port it chose itself: pick one, and pick again if it was taken before
    // the server bound it. A restart keeps the port (the servers under test name it).
    public static Task<RedisServerProcess> StartAsync() => FreePort.StartAsync(async () =>
    {
        var redis = new RedisServerProcess(FreePort.Next());
        try
        {
            await redis.StartAgainAsync();
            return redis;
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    });

    /// <summary>Starts the server (again) on its port, empty: nothing is saved across a stop.</summary>
    public async Task StartAgainAsync()
    {
        Stop();
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        // Ready when this process says so: a connection to the port could reach another process
        // that took the port, while this one exits with "Address already in use".
        var output = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    // Keep draining, so that a chatty server never blocks on a full pipe.
                    _ = _process.StandardOutput.ReadToEndAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Stop();
        throw FreePort.IsAddressInUse(output.ToString())
            ? new PortTakenException($"port {_port} was taken: {output}")
            : new TimeoutException($"private redis-server did not start:\n{output}");
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}
