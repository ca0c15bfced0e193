using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

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

    public static async Task<RedisServerProcess> StartAsync()
    {
        var redis = new RedisServerProcess(FreePort.Next());
        await redis.StartAgainAsync();
        return redis;
    }

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
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", _port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Stop();
        throw new TimeoutException("private redis-server did not start");
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
