using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MestresCafe.Testing;

/// <summary>
/// A real S3-compatible server on loopback for one test class: s3rver (the npm package pinned in
/// tests/s3-server, run by its serve.js) with one bucket kept in a folder of its own. It binds a
/// free port itself (port 0) and reports it; it can be stopped (the store is down) and started
/// again on the same port with the same objects. Every object written is reported, so a test can
/// count writes. Missing packages are a failure that says how to install them, never a skip.
/// </summary>
public sealed class S3ServerProcess : IAsyncDisposable
{
    /// <summary>s3rver accepts these credentials only (its own fixed pair).</summary>
    public const string AccessKeyId = "S3RVER";

    public const string SecretAccessKey = "S3RVER";

    public const string InstallHint =
        "run `npm ci --ignore-scripts` in tests/s3-server (scripts/test.sh does it when npm is present; npm is Debian's package)";

    public static readonly string Folder = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "s3-server");

    private readonly string _data = Directory.CreateTempSubdirectory("mc-s3-").FullName;
    private readonly StringBuilder _output = new();
    private readonly List<string> _written = [];
    private Process? _process;

    private S3ServerProcess(string bucket) => Bucket = bucket;

    public string Bucket { get; }

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The key of every object written so far, in order, once per write.</summary>
    public IReadOnlyList<string> Written { get { lock (_output) { return [.. _written]; } } }

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <summary>The settings that make a server keep its media in this bucket (<c>Media:Store=S3</c>), failing fast while it is down.</summary>
    public IReadOnlyDictionary<string, string> MediaSettings => new Dictionary<string, string>
    {
        ["Media:Store"] = "S3",
        ["Media:S3:ServiceUrl"] = ServiceUrl,
        ["Media:S3:Bucket"] = Bucket,
        ["Media:S3:ForcePathStyle"] = "true",
        ["Media:S3:AccessKeyId"] = AccessKeyId,
        ["Media:S3:SecretAccessKey"] = SecretAccessKey,
        ["Media:S3:MaxErrorRetry"] = "1",
        ["Media:S3:Timeout"] = "00:00:10",
    };

    public static async Task<S3ServerProcess> StartAsync(string bucket)
    {
        var server = new S3ServerProcess(bucket);
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server: on a free port the first time, on the same port (and objects) after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        var serve = Path.Combine(Folder, "serve.js");
        if (!File.Exists(Path.Combine(Folder, "node_modules", "s3rver", "package.json")))
        {
            throw new InvalidOperationException($"s3rver is not installed: {InstallHint}.");
        }

        var info = new ProcessStartInfo("node", [serve, _data, Port.ToString(CultureInfo.InvariantCulture), Bucket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            throw new InvalidOperationException($"node could not be started ({missing.Message}): install Debian's npm package, which brings it; then {InstallHint}.", missing);
        }


        _process = process;
        process.OutputDataReceived += (_, e) => Received(e.Data, listening);
        process.ErrorDataReceived += (_, e) => Received(e.Data, null);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(FreePort.IsAddressInUse(Output)
            ? new PortTakenException(Output)
            : new InvalidOperationException("s3rver exited: " + Output));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Stops the server (the store is down) and waits until it is gone: its port refuses connections.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    private void Received(string? line, TaskCompletionSource<int>? listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (line.StartsWith("written ", StringComparison.Ordinal))
            {
                _written.Add(line["written ".Length..]);
            }
        }

        if (listening is not null && line.StartsWith("listening ", StringComparison.Ordinal))
        {
            listening.TrySetResult(int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting process: the temporary folder is cleaned later.
        }
    }
}
