using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MestresCafe.Testing;

/// <summary>
/// A real server (silo + API) started as a separate process from the build output, so that tests
/// can run several on one machine and kill one with SIGKILL.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int siloPort, int gatewayPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    /// <summary>The port the server bound, as it reported it; known once the start returned.</summary>
    public int HttpPort => BaseAddress.Port;
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public bool HasExited => _process.HasExited;
    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <summary>The lines of the output at Warning level or above, for a failed assertion's message.</summary>
    public string WarningsAndErrors() => string.Join('\n', Output.Split('\n').Where(line =>
        line.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal)
        || line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)
        || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)));

    /// <summary>Placeholder in a setting's value for this server's own base address.</summary>
    public const string SelfAddress = "{self}";

    public static Task<ServerProcess> StartAsync(
        string postgresConnectionString,
        string clusterId,
        string? redis = null,
        IDictionary<string, string>? settings = null,
        TimeSpan? readyTimeout = null) =>
        FreePort.StartAsync(() => StartOnceAsync(postgresConnectionString, clusterId, redis, settings ?? new Dictionary<string, string>(), readyTimeout ?? TimeSpan.FromSeconds(150)));

    private static async Task<ServerProcess> StartOnceAsync(
        string postgresConnectionString, string clusterId, string? redis, IDictionary<string, string> settings, TimeSpan readyTimeout)
    {
        // HTTP binds port 0 and the server reports the port it got, unless a setting must name the
        // server's own URL before the start (a webhook target): then a port is picked, and a start
        // that finds it taken is retried. Orleans cannot listen on port 0 (the silo advertises its
        // port in the membership table), so its ports are picked and retried the same way.
        var needsOwnAddress = settings.Values.Any(v => v.Contains(SelfAddress, StringComparison.Ordinal));
        var requestedHttpPort = needsOwnAddress ? FreePort.Next() : 0;
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet", [ServerAssemblyPath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServerAssemblyPath())!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Postgres"] = postgresConnectionString;
        info.Environment["ConnectionStrings__Redis"] = redis ?? TestEnvironment.Redis;
        info.Environment["Orleans__ClusterId"] = clusterId;
        info.Environment["Orleans__ServiceId"] = clusterId;
        info.Environment["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Urls"] = $"http://127.0.0.1:{requestedHttpPort}";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in TestEnvironment.ServerSecrets)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in settings)
        {
            // A setting may point back at this server (e.g. the simulated gateway's webhook URL).
            info.Environment[key] = value.Replace(SelfAddress, $"http://127.0.0.1:{requestedHttpPort}", StringComparison.Ordinal);
        }

        // Kestrel's "Now listening on: <address>" is how the server reports the port it bound; it
        // stays on whatever level a test sets for the rest.
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, siloPort, gatewayPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL: no graceful shutdown, the silo's membership row stays until others vote it dead.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stops a server: the silo leaves the cluster (its membership row
    /// says dead at once) and hands its grains back; killed after <paramref name="timeout"/> if it
    /// has not exited by then.
    /// </summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        // The address comes from this process's own output: a health answer on a port it did not
        // bind could come from another test's server.
        while (BaseAddress is null)
        {
            if (ListeningAddress() is { } address)
            {
                BaseAddress = address;
                break;
            }

            ThrowIfExited();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Server did not report its address after {timeout}:\n{Output}");
            }

            await Task.Delay(100);
        }

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (DateTime.UtcNow < deadline)
        {
            ThrowIfExited();
            try
            {
                // Live answers once the web host runs, which is after the silo joined the cluster.
                using var response = await http.GetAsync("/health/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Server on port {HttpPort} not ready after {timeout}:\n{Output}");
    }

    private void ThrowIfExited()
    {
        if (!_process.HasExited)
        {
            return;
        }

        // Wait for the rest of the output, which says why.
        _process.WaitForExit();
        var output = Output;
        throw FreePort.IsAddressInUse(output)
            ? new PortTakenException($"A port picked for the server was taken before it bound it:\n{output}")
            : new InvalidOperationException($"Server exited with code {_process.ExitCode}:\n{output}");
    }

    private Uri? ListeningAddress()
    {
        const string marker = "Now listening on: ";
        var output = Output;
        var at = output.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + marker.Length;
        var end = output.IndexOfAny(['\r', '\n', ' '], start);
        return end < 0 ? null : new Uri(output[start..end]);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string ServerAssemblyPath()
    {
        // The tests and the server are built in the same configuration by the same solution build.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "src", "MestresCafe.Server", "bin", configuration, "net10.0", "MestresCafe.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the server first (dotnet build MestresCafe.sln)", path);
    }
}
