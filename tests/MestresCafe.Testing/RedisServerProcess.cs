using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace MestresCafe.Testing;

/// <summary>
/// A redis-server of one test's own on a free loopback port, so that a test can stop it ("Redis
/// down"), pause it ("Redis hung") and start it again on the same port without disturbing the shared
/// Redis that other tests use. It requires a password of its own, as every Redis the servers use.
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

    /// <summary>Random per server; on the command line, which is fine for a throwaway loopback server.</summary>
    public string Password { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>What a server's ConnectionStrings:Redis needs: the endpoint and the password.</summary>
    public string ConnectionString => $"{Endpoint},password={Password}";

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
            ["--bind", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--requirepass", Password])
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

    /// <summary>
    /// SIGSTOP to this server only: its socket stays open and nothing answers, which is how a
    /// network partition or a stalled host looks to a client. <see cref="Resume"/> undoes it.
    /// </summary>
    public void Pause() => Signal("-STOP");

    public void Resume() => Signal("-CONT");

    private void Signal(string signal)
    {
        var pid = _process is { HasExited: false } running ? running.Id : throw new InvalidOperationException("redis-server is not running");
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {pid} failed");
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            // A paused process takes SIGKILL too.
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}
