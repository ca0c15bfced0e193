using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Security;

/// <summary>A redis-server of the test's own on a free port, so that stopping it disturbs no other test.</summary>
internal sealed class PrivateRedisServer : IDisposable
{
    private readonly Process _process;

    private PrivateRedisServer(Process process, int port)
    {
        _process = process;
        Endpoint = $"127.0.0.1:{port}";
    }

    public string Endpoint { get; }

    public static async Task<PrivateRedisServer> StartAsync()
    {
        var port = FreePort.Next();
        var process = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var redis = new PrivateRedisServer(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", port);
                return redis;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        redis.Dispose();
        throw new TimeoutException("private redis-server did not start");
    }

    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
