using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MestresCafe.Testing;

/// <summary>
/// A PostgreSQL cluster of one run's own (initdb into a temporary folder, a free loopback port), so
/// that a fault scenario can crash and restart it without disturbing the shared server every other
/// test uses. The binaries are the ones on PATH; as root, the cluster runs as the postgres user
/// because initdb refuses root. It also listens on a Unix socket in its folder, which pgBackRest
/// needs (it reaches a local cluster only that way).
/// </summary>
public sealed class PostgresServerProcess : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _data;
    private readonly IReadOnlyList<string> _settings;

    private PostgresServerProcess(string folder, IReadOnlyList<string>? settings)
    {
        _folder = folder;
        _data = Path.Combine(folder, "data");
        _settings = settings ?? [];
    }

    /// <summary>The cluster's data folder (owned by the postgres user when the tests run as root).</summary>
    public string DataFolder => _data;

    /// <summary>The folder of the server's Unix socket.</summary>
    public string SocketFolder => _folder;

    /// <summary>Picked at the first start and kept across restarts (the servers under test name it).</summary>
    public int Port { get; private set; }

    /// <summary>Connection string without a database, in the form <see cref="TestEnvironment.PostgresServer"/> has.</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres";

    private string LogFile => Path.Combine(_folder, "server.log");

    /// <param name="settings">Extra server settings, each "name=value" (e.g. "archive_mode=on").</param>
    public static Task<PostgresServerProcess> StartAsync(IReadOnlyList<string>? settings = null) =>
        // -N: no fsync of the initial files; the cluster lives for one run.
        StartInNewFolderAsync(settings, data => RunAsPostgresAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-N"]));

    /// <summary>
    /// A cluster whose data folder <paramref name="fill"/> writes (a restore from a backup) into an
    /// empty folder owned by the postgres user, started on a port of its own.
    /// </summary>
    public static Task<PostgresServerProcess> StartFromAsync(Func<string, Task> fill, IReadOnlyList<string>? settings = null) =>
        StartInNewFolderAsync(settings, async data =>
        {
            Directory.CreateDirectory(data);
            if (RunningAsRoot)
            {
                await RunAsync("chown", ["postgres", data]);
            }

            await fill(data);
        });

    private static async Task<PostgresServerProcess> StartInNewFolderAsync(IReadOnlyList<string>? settings, Func<string, Task> createData)
    {
        var folder = Directory.CreateTempSubdirectory("mc-pg-").FullName;
        var server = new PostgresServerProcess(folder, settings);
        try
        {
            if (RunningAsRoot)
            {
                await RunAsync("chown", ["postgres", folder]);
            }

            await createData(server._data);
            // PostgreSQL cannot report a port it chose itself: pick one, and pick again if it was
            // taken before the server bound it.
            return await FreePort.StartAsync(async () =>
            {
                server.Port = FreePort.Next();
                await server.StartServerAsync();
                return server;
            });
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the server the way a crash does (immediate mode: no checkpoint, every connection cut),
    /// keeps it down for <paramref name="downtime"/>, and starts it again; recovery replays the WAL.
    /// </summary>
    public async Task CrashAndRestartAsync(TimeSpan downtime)
    {
        await CrashAsync();
        await Task.Delay(downtime);
        await StartAgainAsync();
    }

    /// <summary>Stops the server the way a crash does; it stays down until <see cref="StartAgainAsync"/>.</summary>
    public Task CrashAsync() => RunAsPostgresAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]);

    /// <summary>Starts the stopped server again on its port; recovery replays the WAL.</summary>
    public Task StartAgainAsync() => StartServerAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
            {
                await RunAsPostgresAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task StartServerAsync()
    {
        var logStart = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
        try
        {
            await RunAsPostgresAsync("pg_ctl",
            [
                "-D", _data, "-l", LogFile, "-w", "-t", "60", "-o",
                $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{_folder}' " +
                "-c max_connections=200 -c shared_buffers=64MB -c synchronous_commit=on -c fsync=on" +
                string.Concat(_settings.Select(setting => " -c " + setting)),
                "start",
            ]);
        }
        catch (InvalidOperationException error) when (File.Exists(LogFile))
        {
            // pg_ctl only says the start failed; the server's log says why.
            await using var log = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            log.Seek(logStart, SeekOrigin.Begin);
            var why = await new StreamReader(log).ReadToEndAsync();
            throw FreePort.IsAddressInUse(why) ? new PortTakenException($"port {Port} was taken: {why}") : new InvalidOperationException(error.Message + "\n" + why, error);
        }
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private static Task RunAsPostgresAsync(string tool, IReadOnlyList<string> arguments) =>
        RunningAsRoot ? RunAsync("runuser", ["-u", "postgres", "--", tool, .. arguments]) : RunAsync(tool, arguments);

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException(fileName + " did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}
