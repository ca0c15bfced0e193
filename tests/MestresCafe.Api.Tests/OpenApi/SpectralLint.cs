using System.Diagnostics;
using System.Text.Json;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.OpenApi;

/// <summary>
/// Spectral with the ruleset of docs/openapi/.spectral.yaml (spectral:oas and the OWASP API Security
/// ruleset), from the npm packages pinned in docs/openapi/package-lock.json. scripts/test.sh installs
/// them when missing; without them the lint fails saying so, never passes unseen.
/// </summary>
public static class SpectralLint
{
    public static readonly string Folder = Path.Combine(TestEnvironment.RepositoryRoot, "docs", "openapi");

    /// <summary>One finding of the lint: severity 0 is an error, 1 a warning.</summary>
    public sealed record Finding(string Code, int Severity, string Path, string Message)
    {
        public override string ToString() => $"{Code} at {Path}: {Message}";
    }

    /// <summary>Lints the document at <paramref name="documentPath"/>; every finding.</summary>
    public static async Task<IReadOnlyList<Finding>> RunAsync(string documentPath)
    {
        var spectral = Path.Combine(Folder, "node_modules", ".bin", "spectral");
        if (!File.Exists(spectral))
        {
            throw new InvalidOperationException(
                $"Spectral is not installed: run `npm ci --ignore-scripts` in docs/openapi (scripts/test.sh does it when npm is present). Missing: {spectral}");
        }

        var info = new ProcessStartInfo(spectral, ["lint", documentPath, "--ruleset", Path.Combine(Folder, ".spectral.yaml"), "--format", "json", "--quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("spectral did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        // Exit code 1 only says that findings of the fail severity exist; they are read from the JSON.
        if (process.ExitCode > 1 || !output.TrimStart().StartsWith('['))
        {
            throw new InvalidOperationException($"spectral failed (exit {process.ExitCode}): {output}{await stderr}");
        }

        return JsonDocument.Parse(output).RootElement.EnumerateArray().Select(finding => new Finding(
            finding.GetProperty("code").ToString(),
            finding.GetProperty("severity").GetInt32(),
            string.Join('.', finding.GetProperty("path").EnumerateArray().Select(segment => segment.ToString())),
            finding.GetProperty("message").GetString() ?? "")).ToList();
    }
}
