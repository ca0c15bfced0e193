using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MestresCafe.Testing;

/// <summary>
/// Debian's Prometheus (package <c>prometheus</c>, which brings <c>promtool</c>): a real server on a
/// loopback port with a data folder of its own, and promtool runs. A missing binary is a failure
/// that says how to install it, never a skipped test.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    public const string InstallHint = "install Debian's prometheus package (apt-get install prometheus; scripts/test.sh installs it when missing)";

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private PrometheusProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <summary>The path of a Prometheus binary (prometheus or promtool); fails naming the package when absent.</summary>
    public static string Binary(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException($"{name} is missing: {InstallHint}.");
    }

    /// <summary>Runs promtool with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> PromtoolAsync(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(Binary("promtool"), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// Starts Prometheus with <paramref name="configYaml"/> (written as prometheus.yml in a new folder,
    /// which also holds its data) and waits until it answers ready. A port taken meanwhile is retried.
    /// </summary>
    public static Task<PrometheusProcess> StartAsync(Func<string, string> configYaml) =>
        FreePort.StartAsync(() => StartOnceAsync(configYaml, FreePort.Next()));

    private static async Task<PrometheusProcess> StartOnceAsync(Func<string, string> configYaml, int port)
    {
        var folder = Directory.CreateTempSubdirectory("mc-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, configYaml(folder));
        var info = new ProcessStartInfo(Binary("prometheus"),
        [
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(folder, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start");
        var prometheus = new PrometheusProcess(process, folder, port);
        process.OutputDataReceived += (_, e) => prometheus.Append(e.Data);
        process.ErrorDataReceived += (_, e) => prometheus.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await prometheus.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var ready = await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited)
            {
                var output = Output;
                throw FreePort.IsAddressInUse(output) ? new PortTakenException(output) : new InvalidOperationException("prometheus exited: " + output);
            }

            try
            {
                using var response = await http.GetAsync("-/ready");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, timeout);
        if (!ready)
        {
            throw new TimeoutException("prometheus did not become ready: " + Output);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting process: the temp folder is cleaned later.
        }
    }
}
