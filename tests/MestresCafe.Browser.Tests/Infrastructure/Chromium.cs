using Microsoft.Playwright;

namespace MestresCafe.Browser.Tests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright's bundled driver. Playwright never downloads a browser
/// here: the executable is /usr/bin/chromium (scripts/test.sh installs it), or MC_CHROMIUM.
/// </summary>
public static class Chromium
{
    public const string PathVariable = "MC_CHROMIUM";
    public const string DefaultPath = "/usr/bin/chromium";

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : DefaultPath;

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            // A failure, not a skip: a machine without the browser must not pass the suite silently.
            throw new InvalidOperationException(
                $"Chromium was not found at {path}. Install Debian's chromium (apt-get install -y chromium; " +
                $"scripts/test.sh does it) or set {PathVariable} to a Chromium executable.");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // Root in a container: no sandbox; no GPU; /dev/shm may be small. The rest keeps
            // Chromium from calling out to Google's services, which this network refuses.
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
            Timeout = 60_000,
        });
    }
}
