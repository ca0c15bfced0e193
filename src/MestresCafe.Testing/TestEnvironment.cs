namespace MestresCafe.Testing;

/// <summary>
/// Where the tests find PostgreSQL and Redis. scripts/test.sh starts both and exports these
/// variables; the defaults match scripts/services.sh.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("MC_TEST_POSTGRES")
        ?? $"Host=127.0.0.1;Port={Environment.GetEnvironmentVariable("MC_PG_PORT") ?? "55432"};Username=postgres";

    /// <summary>
    /// The shared Redis's connection string, with its password (scripts/test.sh exports it;
    /// <c>scripts/services.sh env</c> prints the password as MC_REDIS_PASSWORD). Servers outside
    /// Development refuse a Redis without a password, as in production.
    /// </summary>
    public static string Redis =>
        Environment.GetEnvironmentVariable("MC_TEST_REDIS")
        ?? $"127.0.0.1:{Environment.GetEnvironmentVariable("MC_REDIS_PORT") ?? "56379"},password={Environment.GetEnvironmentVariable("MC_REDIS_PASSWORD")}";

    /// <summary>
    /// The secrets a server outside Development refuses to start without, as configuration keys.
    /// Every server the tests start (in process or as a process) gets these; a test that signs a
    /// webhook reads the secret from here.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ServerSecrets { get; } = new Dictionary<string, string>
    {
        ["Payments:WebhookSecret"] = WebhookSecret,
        ["Sessions:SigningKey"] = "test-session-signing-key-0123456789abcdef-not-for-production",
        ["Accounts:LinkKey"] = "test-account-link-key-0123456789abcdef-not-for-production",
        ["Cart:VisitorTokenKey"] = "test-visitor-cart-key-0123456789abcdef-not-for-production",
    };

    public const string WebhookSecret = "test-webhook-secret-0123456789abcdef-not-for-production";

    /// <summary>The repository root: the folder holding MestresCafe.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MestresCafe.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MestresCafe.sln not found above " + AppContext.BaseDirectory);
    }
}
