using System.Diagnostics;
using System.Globalization;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Operations;

/// <summary>
/// Runs the project's own scripts/backup.sh and scripts/restore.sh against a private cluster, with
/// a pgBackRest repository in a temporary folder: the drill tests the scripts an operator runs,
/// not a copy of what they do.
/// </summary>
internal sealed class BackupScripts : IDisposable
{
    private readonly PostgresServerProcess _cluster;
    private readonly string _folder;

    private BackupScripts(PostgresServerProcess cluster, string folder)
    {
        _cluster = cluster;
        _folder = folder;
    }

    /// <summary>Fails, saying how to install it, when pgBackRest is missing: the drill never skips.</summary>
    public static async Task<BackupScripts> ForAsync(PostgresServerProcess cluster)
    {
        Assert.True(OnPath("pgbackrest"),
            "pgBackRest is not installed: scripts/services.sh start installs it (Debian's pgbackrest package; as root: apt-get install pgbackrest)");
        var folder = Directory.CreateTempSubdirectory("mc-backup-").FullName;
        if (Environment.UserName == "root")
        {
            // The repository belongs to the user the cluster runs as, who archives into it.
            await RunAsync("chown", ["postgres", folder], new Dictionary<string, string>());
        }

        return new BackupScripts(cluster, folder);
    }

    public Task<string> BackupAsync(string type) => RunScriptAsync("backup.sh", [type]);

    /// <summary>Restores to <paramref name="target"/> (PostgreSQL's text form, with its zone) into <paramref name="dataFolder"/>.</summary>
    public Task<string> RestoreAsync(string target, string dataFolder) =>
        RunScriptAsync("restore.sh", ["--to", target, "--target-dir", dataFolder]);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<string> RunScriptAsync(string script, IReadOnlyList<string> arguments) =>
        RunAsync("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "scripts", script), .. arguments], new Dictionary<string, string>
        {
            ["MC_PG_PORT"] = _cluster.Port.ToString(CultureInfo.InvariantCulture),
            ["MC_PG_DATA"] = _cluster.DataFolder,
            ["MC_PG_SOCKET_DIR"] = _cluster.SocketFolder,
            ["MC_BACKUP_REPO"] = Path.Combine(_folder, "repo"),
            ["MC_BACKUP_HOME"] = Path.Combine(_folder, "pgbackrest"),
        });

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException(fileName + " did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var all = await output + await error;
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{all}");
        return all;
    }
}
