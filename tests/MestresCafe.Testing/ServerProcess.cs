using System.Diagnostics;
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

    private ServerProcess(Process process, int httpPort, int siloPort, int gatewayPort)
    {
        _process = process;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
    }

    public int HttpPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public Uri BaseAddress { get; }
    public bool HasExited => _process.HasExited;
    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <summary>Placeholder in a setting's value for this server's own base address.</summary>
    public const string SelfAddress = "{self}";

    public static async Task<ServerProcess> StartAsync(
        string postgresConnectionString,
        string clusterId,
        string? redis = null,
        IDictionary<string, string>? settings = null,
        TimeSpan? readyTimeout = null,
        int? httpPort = null)
    {
        // A caller that must know the address before the start (a setting that names the server's
        // own URL, such as a webhook target) picks the port itself.
        httpPort ??= FreePort.Next();
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
        info.Environment["Orleans__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Orleans__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in TestEnvironment.ServerSecrets)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            // A setting may point back at this server (e.g. the simulated gateway's webhook URL),
            // whose port is chosen only here.
            info.Environment[key] = value.Replace(SelfAddress, $"http://127.0.0.1:{httpPort}", StringComparison.Ordinal);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, httpPort.Value, siloPort, gatewayPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(150));
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

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Server exited with code {_process.ExitCode}:\n{Output}");
            }

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

        Kill();
        throw new TimeoutException($"Server on port {HttpPort} not ready after {timeout}:\n{Output}");
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
