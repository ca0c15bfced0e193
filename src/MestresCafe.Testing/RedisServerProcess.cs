using System.Diagnostics;
using System.Globalization;
using System.Text;

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
            ["--bind", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--requirepass", Password])
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
